// The login throttle as the routes use it: refusals become 429 answers with Retry-After, one
// attempt per client runs at a time (parallel guesses cannot slip past the count while Argon2
// works), and the state is kept in data/state/login-throttle.json, so a restart does not lift
// a lock. Writes happen on failures and successes only, which the throttle itself keeps rare.
import { join } from 'node:path';
import type { Context } from 'koa';
import { SilError } from '../../errors.ts';
import { readJsonFile, serial, writeJsonFile } from './json-file.ts';
import { LoginThrottle, throttleKey, type FailureResult, type ThrottlePolicy } from './throttle.ts';

export const THROTTLE_FILE = 'login-throttle.json';

export interface ThrottleGuardOptions {
  stateDir: string;
  now: () => Date;
  policy?: Partial<ThrottlePolicy>;
  log: (line: string) => void;
}

export class ThrottleGuard {
  readonly ready: Promise<void>;
  private throttle: LoginThrottle;
  private readonly path: string;
  private readonly inFlight = new Set<string>();
  private readonly exclusive = serial();
  private readonly opts: ThrottleGuardOptions;

  constructor(opts: ThrottleGuardOptions) {
    this.opts = opts;
    this.path = join(opts.stateDir, THROTTLE_FILE);
    this.throttle = new LoginThrottle(opts.policy);
    this.ready = readJsonFile(this.path).then(
      (state) => { if (state) this.throttle = new LoginThrottle(opts.policy, state); },
      (err) => opts.log(`login throttle: starting empty, ${(err as Error).message}`),
    );
  }

  private retryAfter(ctx: Context, ms: number): void {
    ctx.set('Retry-After', String(Math.max(1, Math.ceil(ms / 1000))));
  }

  /** Throws 429 (SIL_LOGIN_LOCKED or SIL_LOGIN_THROTTLED) with Retry-After when `ip` must wait. */
  refuseIfBlocked(ctx: Context, ip: string): void {
    const d = this.throttle.check(ip, this.opts.now().getTime());
    if (d.allowed) return;
    this.retryAfter(ctx, d.retryAfterMs);
    const seconds = Math.ceil(d.retryAfterMs / 1000);
    if (d.reason === 'locked') {
      throw new SilError('SIL_LOGIN_LOCKED', d.scope === 'global'
        ? `Login is locked for everyone for ${seconds} more seconds after many failed attempts.`
        : `Login from your address is locked for ${seconds} more seconds after repeated failures.`);
    }
    throw new SilError('SIL_LOGIN_THROTTLED', `Wait ${seconds} seconds before the next attempt.`);
  }

  /** Marks an attempt of `ip` as running; a second one at the same time is refused. */
  enter(ctx: Context, ip: string): () => void {
    const key = throttleKey(ip);
    if (this.inFlight.has(key)) {
      this.retryAfter(ctx, 1000);
      throw new SilError('SIL_LOGIN_THROTTLED', 'Another login attempt from your address is still running.');
    }
    this.inFlight.add(key);
    return () => this.inFlight.delete(key);
  }

  /** Counts a failure; sets Retry-After when it started a lock. */
  failed(ctx: Context, ip: string): FailureResult {
    const result = this.throttle.fail(ip, this.opts.now().getTime());
    if (result.locked) this.retryAfter(ctx, result.retryAfterMs);
    this.save();
    return result;
  }

  succeeded(ip: string): void {
    this.throttle.succeed(ip);
    this.save();
  }

  private save(): void {
    const state = this.throttle.toJSON();
    this.exclusive(() => writeJsonFile(this.path, state)).catch((err) => this.opts.log(`login throttle: cannot write ${this.path}: ${(err as Error).message}`));
  }

  /** Forgets every failure and lock (the owner was reset: `sil owner reset` removed the file). */
  forget(): void {
    this.throttle = new LoginThrottle(this.opts.policy);
  }

  /** Waits for pending writes. */
  async close(): Promise<void> {
    await this.exclusive(async () => {});
  }
}
