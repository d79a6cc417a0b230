// The sil instances of the soak: each its own process on its own data directory and a fixed
// port (a restart comes back on the same port, where the balancer expects it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineMatching, type Processes, type Tracked } from './processes.ts';

const HUB_FLAGS = (JSON.parse(readFileSync(new URL('../../server/runtime-flags.json', import.meta.url), 'utf8')) as { hub: string[] }).hub;
const HUB_PROCESS = fileURLToPath(new URL('./hub-process.ts', import.meta.url));

export interface Health { commit: string | null; redis: string | null; leader: boolean | null }

export class Instance {
  readonly name: string;
  readonly port: number;
  readonly dataDir: string;
  #proc: Tracked | null = null;
  readonly #processes: Processes;
  readonly #logDir: string;

  constructor(o: { name: string; port: number; dataDir: string; processes: Processes; logDir: string }) {
    this.name = o.name;
    this.port = o.port;
    this.dataDir = o.dataDir;
    this.#processes = o.processes;
    this.#logDir = o.logDir;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | null {
    return this.#proc && this.#processes.running(this.#proc) ? (this.#proc.child.pid ?? null) : null;
  }

  get log(): string {
    return join(this.#logDir, `sil-${this.name}.log`);
  }

  /** Starts the process and waits (at most 60 s) until it listens. */
  async start(): Promise<void> {
    let seen = '';
    const proc = this.#processes.spawn(`sil ${this.name}`, process.execPath, [...HUB_FLAGS, HUB_PROCESS, '--data', this.dataDir, '--port', String(this.port)], {
      log: this.log,
      ipc: true,
      env: { ...process.env, SIL_INSTANCE_NAME: `soak-${this.name}` },
      onLine: (line) => {
        if (seen.length < 100_000) seen += `${line}\n`;
      },
    });
    this.#proc = proc;
    await lineMatching(proc, /sil listening on (http:\/\/\S+)/, 60_000, () => seen);
  }

  /** SIGTERM (SIGKILL after 15 s); resolves when the process has exited. */
  async stop(): Promise<void> {
    if (this.#proc) await this.#processes.stop(this.#proc, 15_000);
  }

  /** What /healthz says (null fields when it does not answer). */
  async health(): Promise<Health> {
    try {
      const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2000) });
      const body = (await res.json()) as { config?: { commit?: string | null }; cluster?: { redis?: string; leader?: boolean } };
      return { commit: body.config?.commit ?? null, redis: body.cluster?.redis ?? null, leader: body.cluster?.leader ?? null };
    } catch {
      return { commit: null, redis: null, leader: null };
    }
  }
}

/** Waits (at most `ms`) until every instance serves `commit`; resolves with how long that took (ms), or null. */
export async function untilLive(instances: readonly Instance[], commit: string, ms: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    const commits = await Promise.all(instances.map(async (i) => (await i.health()).commit));
    if (commits.every((c) => c === commit)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}
