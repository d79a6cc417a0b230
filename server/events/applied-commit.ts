// The last commit the hub applied, kept in data/state/applied-commit.json, so that a restart on
// the same commit does not tell subscribers `config.applied` again, while a start on a commit
// pushed while the hub was stopped does.
import { readJsonFile, writeJsonFile } from '../api/owner/json-file.ts';

export class AppliedCommit {
  readonly #path: string;
  readonly #log: (line: string) => void;
  #last: string | undefined;
  #first = true;
  #writing: Promise<void> = Promise.resolve();

  private constructor(path: string, last: string | undefined, log: (line: string) => void) {
    this.#path = path;
    this.#last = last;
    this.#log = log;
  }

  static async open(path: string, log: (line: string) => void): Promise<AppliedCommit> {
    let last: string | undefined;
    try {
      const saved = (await readJsonFile(path)) as { commit?: unknown } | undefined;
      if (typeof saved?.commit === 'string') last = saved.commit;
    } catch (err) {
      log(`events: ${(err as Error).message}; config.applied is sent for the commit the hub starts on`);
    }
    return new AppliedCommit(path, last, log);
  }

  /**
   * Whether this load is news for subscribers (every load but a start on the commit applied last),
   * and remembers the commit.
   */
  applied(commit: string): boolean {
    const repeat = this.#first && commit === this.#last;
    this.#first = false;
    if (commit !== this.#last) {
      this.#last = commit;
      this.#writing = this.#writing.then(() => writeJsonFile(this.#path, { commit })).catch((err: Error) => this.#log(`events: cannot record the applied commit: ${err.message}`));
    }
    return !repeat;
  }

  /** Resolves when the commits recorded so far are on disk. */
  written(): Promise<void> {
    return this.#writing;
  }
}
