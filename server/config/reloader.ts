// Keeps LiveConfig in step with the branch: loads each new commit, serves the last good one
// when a commit is invalid, and on start falls back to the newest valid ancestor.
import { watchRef, type RefWatcher } from './ref-watcher.ts';
import type { ConfigLoader } from './loader.ts';
import type { LiveConfig } from './live-config.ts';

export interface ReloaderOptions {
  loader: ConfigLoader;
  live: LiveConfig;
  gitdir: string;
  branch?: string;
  pollMs?: number;
  now?: () => Date;
  /** How far back start() looks for a valid commit when the head is invalid. */
  fallbackDepth?: number;
  log?: (line: string) => void;
}

export class Reloader {
  private lastSeen: string | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private watcher: RefWatcher | null = null;
  private readonly opts: ReloaderOptions;

  constructor(opts: ReloaderOptions) {
    this.opts = opts;
  }

  async start(): Promise<void> {
    const { loader, live } = this.opts;
    const head = await loader.head();
    if (head) {
      this.lastSeen = head;
      const result = await loader.load(head);
      if (result.ok) live.accept(result.snapshot);
      else {
        live.reject({ commit: head, at: this.nowIso(), errors: result.errors });
        for (const commit of await loader.ancestors(head, this.opts.fallbackDepth ?? 100).catch(() => [])) {
          const older = await loader.load(commit);
          if (older.ok) {
            live.fallBackTo(older.snapshot);
            break;
          }
        }
      }
    }
    this.watcher = watchRef(this.opts.gitdir, this.opts.branch ?? 'main', () => void this.check(), this.opts.pollMs);
  }

  /** Loads the branch head if it moved. Concurrent calls coalesce into one more run. */
  check(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.checkOnce();
        } catch (err) {
          // The loader reports bad commits itself; this is a bug or an I/O failure. Keep serving.
          this.opts.log?.(`config: reload failed: ${(err as Error).message}`);
        }
      } while (this.again);
    })().finally(() => { this.running = null; });
    return this.running;
  }

  private async checkOnce(): Promise<void> {
    const { loader, live } = this.opts;
    const head = await loader.head();
    if (!head || head === this.lastSeen) return;
    this.lastSeen = head;
    const result = await loader.load(head);
    if (result.ok) live.accept(result.snapshot);
    else live.reject({ commit: head, at: this.nowIso(), errors: result.errors });
  }

  private nowIso(): string {
    return (this.opts.now?.() ?? new Date()).toISOString();
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = null;
  }
}
