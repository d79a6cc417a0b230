// POST /hooks/<provider-id>: for providers, not the owner (no session, no CSRF), mounted next to
// the proxy. The raw body is read (bounded) and kept for the signature; the answer is 200
// {"received": true} as soon as the delivery is verified and remembered, and the event is
// fanned out right after. Anything else under /hooks/ is a 404 or 405 in the catalog's words.
import type { Context, Middleware } from 'koa';
import { SilError } from '../errors.ts';
import { compileAllowlist, type CompiledAllowlist } from '../core/cidr.ts';
import type { LiveConfig } from '../config/live-config.ts';
import type { Settings } from '../config/snapshot.ts';
import { publicUrl } from './public-url.ts';
import type { InboundRequest } from './types.ts';
import type { Accepted } from './receiver.ts';

/** Provider webhooks are small; the hub's body limit applies when it is lower. */
export const MAX_HOOK_BYTES = 1024 * 1024;
const PATH = /^\/hooks\/([a-z0-9][a-z0-9-]{0,62})\/?$/;

export interface HookRouteDeps {
  live: LiveConfig;
  receive: (providerId: string, req: InboundRequest, ip?: string) => Promise<Accepted>;
  remoteAddress: (ctx: Context) => string;
  log: (line: string) => void;
}

async function readBody(ctx: Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.req.headers['content-length'] ?? 0);
  if (declared > limit) throw new SilError('SIL_PROXY_TOO_LARGE', `the body is ${declared} bytes; webhooks may have ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new SilError('SIL_PROXY_TOO_LARGE', `the body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function hookRoute(deps: HookRouteDeps): Middleware {
  const compiled = new WeakMap<Settings, CompiledAllowlist>();
  const trustedOf = (settings: Settings | undefined): CompiledAllowlist => {
    if (!settings) return compileAllowlist([]);
    let t = compiled.get(settings);
    if (!t) compiled.set(settings, (t = compileAllowlist(settings.security.trustedProxies ?? [])));
    return t;
  };
  return async (ctx, next) => {
    if (ctx.path !== '/hooks' && !ctx.path.startsWith('/hooks/')) return next();
    ctx.set('Cache-Control', 'no-store');
    const m = PATH.exec(ctx.path);
    if (!m) throw new SilError('SIL_HOOK_UNKNOWN', `no webhook endpoint at ${ctx.path.slice(0, 100)}`);
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      throw new SilError('SIL_METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`, { hint: 'providers POST their webhooks' });
    }
    const settings = deps.live.snapshot?.settings;
    const limit = Math.min(MAX_HOOK_BYTES, settings?.defaults.maxBodyBytes ?? MAX_HOOK_BYTES);
    let body: Buffer;
    try {
      body = await readBody(ctx, limit);
    } catch (err) {
      if (err instanceof SilError) {
        ctx.set('Connection', 'close');
        throw err;
      }
      throw new SilError('SIL_PROXY_BODY_INCOMPLETE', 'the body did not arrive in full');
    }
    const req: InboundRequest = {
      url: publicUrl({
        peer: ctx.req.socket.remoteAddress ?? '',
        rawUrl: ctx.req.url ?? ctx.path,
        host: ctx.get('host') || undefined,
        forwardedProto: ctx.get('x-forwarded-proto') || undefined,
        forwardedHost: ctx.get('x-forwarded-host') || undefined,
        trusted: trustedOf(settings),
        encrypted: 'encrypted' in ctx.req.socket && Boolean((ctx.req.socket as { encrypted?: boolean }).encrypted),
      }),
      header: (name) => ctx.get(name) || undefined,
      body,
      contentType: (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase(),
    };
    const accepted = await deps.receive(m[1], req, deps.remoteAddress(ctx));
    ctx.status = 200;
    ctx.body = { received: true, ...(accepted.eventId ? { eventId: accepted.eventId } : {}) };
    setImmediate(() => {
      try {
        accepted.publish();
      } catch (err) {
        deps.log(`hooks: cannot fan out the ${accepted.provider} event: ${(err as Error).message}`);
      }
    });
  };
}
