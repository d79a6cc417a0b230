// Stage 2: the request body, bounded (sil.yaml defaults.maxBodyBytes, 10 MiB by default).
import type { Context } from 'koa';
import { proxyError } from '../proxy-error.ts';
import type { ProxyState } from '../proxy-state.ts';

export async function readBodyStage(ctx: Context, state: ProxyState): Promise<void> {
  const limit = state.snapshot.settings.defaults.maxBodyBytes;
  const declared = Number(ctx.req.headers['content-length'] ?? 0);
  if (declared > limit) throw proxyError('SIL_PROXY_TOO_LARGE', `the body is ${declared} bytes; the limit is ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  // Plain events rather than an async iterator: this runs on every request.
  await new Promise<void>((resolve, reject) => {
    const req = ctx.req;
    if (req.readableEnded) return resolve();
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(proxyError('SIL_PROXY_TOO_LARGE', `the body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve());
    // Cut by the server's request time limit (Node answers 408) or the caller went away: the
    // caller's doing, not the hub's, so it is not logged as an internal error.
    req.once('error', () => reject(proxyError('SIL_PROXY_BODY_INCOMPLETE', `the body stopped after ${size} bytes`)));
  });
  state.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
