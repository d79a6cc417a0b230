// The rollup files on disk, through lowdb: <dir>/<granularity>/<period>.json, each written
// whole and atomically (lowdb's DataFile → steno writes a temporary file, then renames it over
// the old one, so a reader or a crash sees the old file or the new one, never a torn one), read
// with fs/promises (lowdb's DataFile.read) so a long query does not block the event loop.
import { mkdir, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFile } from 'lowdb/node';
import { GRANULARITIES, fileEndOf, fileNameOf, parseFileName } from './file-layout.ts';
import { RollupFile, type RollupFileData } from './rollup-file.ts';
import type { Granularity } from './types.ts';

export type StartsByGranularity = Record<Granularity, number[]>;

export class RollupDisk {
  readonly dir: string;
  readonly #log: (line: string) => void;
  readonly #now: () => number;

  constructor(dir: string, log: (line: string) => void, now: () => number) {
    this.dir = dir;
    this.#log = log;
    this.#now = now;
  }

  pathOf(g: Granularity, start: number): string {
    return join(this.dir, g, fileNameOf(g, start));
  }

  /**
   * The period starts of the rollup files within retention (`cutoffs`: the oldest bucket start
   * kept per granularity), by name only: nothing is read. Files entirely older are deleted, a
   * write's leftover temporary file too.
   */
  async list(cutoffs: Record<Granularity, number>): Promise<StartsByGranularity> {
    const out: StartsByGranularity = { minute: [], hour: [], day: [] };
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
        if (fileEndOf(g, start) <= cutoffs[g]) {
          await unlink(path).catch((err: Error) => this.#log(`usage: cannot delete expired ${path}: ${err.message}`));
          continue;
        }
        out[g].push(start);
      }
    }
    return out;
  }

  /**
   * The file's rows, checked; null when there is no such file. A file that is not valid is moved
   * aside as <name>.corrupt-<time> with a log line (`who` says who found it and goes on without
   * its counts) and answers null.
   */
  async read(g: Granularity, start: number, who: string): Promise<RollupFile | null> {
    const path = this.pathOf(g, start);
    try {
      const data = await this.#file(path).read();
      return data === null ? null : RollupFile.fromData(data, start, fileEndOf(g, start));
    } catch (err) {
      const aside = `${path}.corrupt-${new Date(this.#now()).toISOString().replace(/[:.]/g, '-')}`;
      await rename(path, aside).catch(() => {});
      this.#log(`usage: ${path} is not a valid usage file (${(err as Error).message}); moved aside to ${aside}, its counts are not included (${who})`);
      return null;
    }
  }

  /** Writes the file's rows atomically. */
  async write(g: Granularity, file: RollupFile): Promise<void> {
    await this.#file(this.pathOf(g, file.start)).write(file.toData());
  }

  async remove(g: Granularity, start: number): Promise<void> {
    await unlink(this.pathOf(g, start)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  #file(path: string): DataFile<RollupFileData> {
    return new DataFile<RollupFileData>(path, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) });
  }
}
