// The rollup files on disk, through lowdb: <dir>/<granularity>/<period>.json, each written
// whole and atomically (lowdb's DataFile → steno writes a temporary file, then renames it over
// the old one, so a reader or a crash sees the old file or the new one, never a torn one).
import { mkdir, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { GRANULARITIES, fileEndOf, fileNameOf, parseFileName } from './file-layout.ts';
import { RollupFile, type RollupFileData } from './rollup-file.ts';
import type { Granularity } from './types.ts';

export type FilesByGranularity = Record<Granularity, Map<number, RollupFile>>;

const EMPTY: RollupFileData = { v: 1, dims: [], rows: [] };

export class RollupDisk {
  readonly dir: string;
  readonly #log: (line: string) => void;
  readonly #dbs = new Map<string, Low<RollupFileData>>();

  constructor(dir: string, log: (line: string) => void) {
    this.dir = dir;
    this.#log = log;
  }

  pathOf(g: Granularity, start: number): string {
    return join(this.dir, g, fileNameOf(g, start));
  }

  /**
   * Every rollup file still within retention (`cutoffs`: the oldest bucket start kept per
   * granularity). Files entirely older are deleted, a write's leftover temporary file too; a file
   * that is not valid is moved aside as <name>.corrupt-<time> with a log line.
   */
  async loadAll(cutoffs: Record<Granularity, number>, now: number): Promise<FilesByGranularity> {
    const out: FilesByGranularity = { minute: new Map(), hour: new Map(), day: new Map() };
    for (const g of GRANULARITIES) {
      const folder = join(this.dir, g);
      await mkdir(folder, { recursive: true });
      for (const name of (await readdir(folder)).sort()) {
        const path = join(folder, name);
        if (name.startsWith('.') && name.endsWith('.tmp')) {
          await unlink(path).catch(() => {});
          continue;
        }
        const start = parseFileName(g, name);
        if (start === null) continue;
        const end = fileEndOf(g, start);
        if (end <= cutoffs[g]) {
          await unlink(path).catch((err: Error) => this.#log(`usage: cannot delete expired ${path}: ${err.message}`));
          continue;
        }
        try {
          const db = this.#db(path);
          await db.read();
          const file = RollupFile.fromData(db.data, start, end);
          db.data = EMPTY;
          file.prune(cutoffs[g]);
          out[g].set(start, file);
        } catch (err) {
          this.#dbs.delete(path);
          const aside = `${path}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
          await rename(path, aside).catch(() => {});
          this.#log(`usage: ${path} is not a valid usage file (${(err as Error).message}); moved aside to ${aside}, its counts are not included`);
        }
      }
    }
    return out;
  }

  /** Writes the file's rows atomically. */
  async write(g: Granularity, file: RollupFile): Promise<void> {
    const db = this.#db(this.pathOf(g, file.start));
    db.data = file.toData();
    try {
      await db.write();
    } finally {
      db.data = EMPTY;
    }
  }

  async remove(g: Granularity, start: number): Promise<void> {
    const path = this.pathOf(g, start);
    this.#dbs.delete(path);
    await unlink(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  #db(path: string): Low<RollupFileData> {
    let db = this.#dbs.get(path);
    if (!db) {
      db = new Low<RollupFileData>(new DataFile<RollupFileData>(path, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), EMPTY);
      this.#dbs.set(path, db);
    }
    return db;
  }
}
