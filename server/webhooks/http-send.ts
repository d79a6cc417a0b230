// One delivery attempt over HTTP(S): a POST with the signed body, through the guarded lookup (no
// link-local or cloud-metadata targets), never following redirects, within a timeout; reads at
// most 1 KB of the answer for the delivery log.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFn } from '../proxy/guarded-lookup.ts';

export interface SendRequest { url: string; headers: Record<string, string>; body: string; timeoutMs: number }
export interface SendResult { status: number | null; response?: string; error?: string }
export type Send = (req: SendRequest) => Promise<SendResult>;

export const EXCERPT_BYTES = 1024;

export function httpSender(opts: { lookup?: LookupFn; userAgent: string }): Send {
  return (req) =>
    new Promise<SendResult>((resolve) => {
      let settled = false;
      const done = (r: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      let url: URL;
      try {
        url = new URL(req.url);
      } catch {
        return done({ status: null, error: 'invalid URL' });
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const body = Buffer.from(req.body);
      const r = send(url, {
        method: 'POST',
        headers: { 'user-agent': opts.userAgent, ...req.headers, 'content-type': 'application/json', 'content-length': String(body.length) },
        ...(opts.lookup ? { lookup: opts.lookup as never } : {}),
        agent: false,
      });
      const timer = setTimeout(() => {
        r.destroy();
        done({ status: null, error: `no answer within ${Math.round(req.timeoutMs / 1000)} s` });
      }, req.timeoutMs);
      r.on('error', (err: NodeJS.ErrnoException) => done({ status: null, error: err.code ? `${err.code}: ${err.message}` : err.message }));
      r.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          res.destroy();
          const text = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
          const redirect = res.statusCode && res.statusCode >= 300 && res.statusCode < 400 ? `redirect to ${res.headers.location ?? '?'} not followed` : undefined;
          done({ status: res.statusCode ?? null, ...(text ? { response: text } : {}), ...(redirect ? { error: redirect } : {}) });
        };
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          size += c.length;
          if (size >= EXCERPT_BYTES) finish();
        });
        res.on('end', finish);
        res.on('error', finish);
      });
      r.end(body);
    });
}
