// Stage 2: the request body, bounded (sil.yaml defaults.maxBodyBytes, 10 MiB by default).
import type { Context, Next } from 'koa';
import { proxyError } from '../proxy-error.ts';
import type { ProxyState } from '../proxy-state.ts';

export async function readBodyStage(ctx: Context, next: Next): Promise<void> {
  const state = ctx.state.proxy as ProxyState;
  const limit = state.snapshot.settings.defaults.maxBodyBytes;
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw proxyError('SIL_PROXY_TOO_LARGE', `the body is ${declared} bytes; the limit is ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      ctx.req.destroy();
      throw proxyError('SIL_PROXY_TOO_LARGE', `the body is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  state.body = Buffer.concat(chunks);
  await next();
}
