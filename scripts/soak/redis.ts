// The soak's Redis: a real redis-server on a free loopback port, without persistence (as
// test/helpers/redis-server.ts starts it for the tests), restartable on the same port.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, type Processes, type Tracked } from './processes.ts';

export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/sbin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p)) ?? null;

/** Whether a Redis on `port` answers PING. */
function pings(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect(port, '127.0.0.1');
    s.setTimeout(1000, () => {
      s.destroy();
      ok(false);
    });
    s.once('connect', () => {
      s.write('PING\r\n');
      s.once('data', (d) => {
        s.destroy();
        ok(d.toString().startsWith('+PONG'));
      });
    });
    s.once('error', () => ok(false));
  });
}

export class SoakRedis {
  readonly port: number;
  #proc: Tracked | null = null;
  readonly #processes: Processes;
  readonly #dir: string;

  private constructor(processes: Processes, dir: string, port: number) {
    this.#processes = processes;
    this.#dir = dir;
    this.port = port;
  }

  static async start(processes: Processes, dir: string): Promise<SoakRedis> {
    if (!REDIS_SERVER) throw new Error('redis-server is not installed (Debian: apt-get install redis-server); the soak shares limits through a real Redis');
    const r = new SoakRedis(processes, dir, await freePort());
    await r.#launch();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#proc?.child.pid;
  }

  async #launch(): Promise<void> {
    const proc = this.#processes.spawn('redis-server', REDIS_SERVER!, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'], { log: join(this.#dir, 'redis.log') });
    this.#proc = proc;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (!this.#processes.running(proc)) throw new Error(`redis-server exited at start; see ${proc.log}`);
      if (await pings(this.port)) return;
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${this.port} within 10 s; see ${proc.log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGTERM, then start again on the same port (with empty memory); resolves with the time it was down (ms). */
  async restart(): Promise<number> {
    const started = Date.now();
    if (this.#proc) await this.#processes.stop(this.#proc, 5000);
    await this.#launch();
    return Date.now() - started;
  }
}
