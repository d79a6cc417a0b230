// POST /sync/trigger: a push notice from the forge that hosts the remote config repository, for
// the forge, not the owner (no session, no CSRF), mounted next to the inbound provider webhooks.
// Answers 202 and fetches at once (triggers close together make one fetch); 401 without a valid
// signature; 404 while the hub follows no remote or has no SIL_SYNC_SECRET.
import type { Context, Middleware } from 'koa';
import { SilError } from '../errors.ts';
import { triggerSigned } from './trigger-signature.ts';

/** Push notices are small (GitHub's carry up to 20 commits with their file lists). */
export const MAX_TRIGGER_BYTES = 1024 * 1024;
const PATH = '/sync/trigger';

export interface TriggerTarget {
  /** The secret while a remote is followed and SIL_SYNC_SECRET is set; undefined otherwise. */
  triggerSecret(): string | undefined;
  trigger(): void;
}

async function readBody(ctx: Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.req.headers['content-length'] ?? 0);
  if (declared > limit) throw new SilError('SIL_PROXY_TOO_LARGE', `the body is ${declared} bytes; a sync trigger may have ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new SilError('SIL_PROXY_TOO_LARGE', `the body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function triggerRoute(target: TriggerTarget, log: (line: string) => void, now: () => number = Date.now): Middleware {
  // Refusals are logged at most once a minute: anyone can send them.
  let loggedAt = -Infinity;
  return async (ctx, next) => {
    if (ctx.path !== PATH && ctx.path !== `${PATH}/`) return next();
    ctx.set('Cache-Control', 'no-store');
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      throw new SilError('SIL_METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${PATH}`, { hint: 'the forge POSTs its push webhook here' });
    }
    const secret = target.triggerSecret();
    if (!secret) throw new SilError('SIL_SYNC_NOT_CONFIGURED');
    let body: Buffer;
    try {
      body = await readBody(ctx, MAX_TRIGGER_BYTES);
    } catch (err) {
      ctx.set('Connection', 'close');
      if (err instanceof SilError) throw err;
      throw new SilError('SIL_PROXY_BODY_INCOMPLETE', 'the body did not arrive in full');
    }
    if (!triggerSigned(secret, body, (name) => ctx.get(name) || undefined)) {
      if (now() - loggedAt >= 60_000) {
        loggedAt = now();
        log('remote: refused a sync trigger with a missing or wrong signature (further refusals this minute are not logged)');
      }
      throw new SilError('SIL_SYNC_SIGNATURE');
    }
    target.trigger();
    ctx.status = 202;
    ctx.body = { accepted: true };
  };
}
