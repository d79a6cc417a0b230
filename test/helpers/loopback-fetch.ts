// A fetch for tests of templates with real provider URLs: each provider origin
// (https://api-m.paypal.com) is routed to a mock on 127.0.0.1, and a request to any origin not
// routed fails before anything is sent. The URL the code asked for is recorded, so that a test
// can check the template rendered it right. Sent with undici's request(), as the proxy sends:
// headers go as they are, Host included (fetch would replace it with 127.0.0.1:port, while SigV4
// signs the provider's host name and the mock must see it).
import { request } from 'undici';
import type { FetchLike } from '../../server/auth-schemes/token-request.ts';

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

async function send(url: URL, init: RequestInit): Promise<Response> {
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  // Headers() drops Host (a forbidden name): take it from the caller's own record.
  const given = init.headers && !(init.headers instanceof Headers) && !Array.isArray(init.headers) ? (init.headers as Record<string, string>) : {};
  for (const [name, value] of Object.entries(given)) if (name.toLowerCase() === 'host') headers.host = value;
  const body = init.body === undefined || init.body === null ? undefined : typeof init.body === 'string' || init.body instanceof Uint8Array ? init.body : Buffer.from(await new Response(init.body).arrayBuffer());
  const res = await request(url, { method: (init.method ?? 'GET') as 'GET', headers, body, signal: init.signal ?? undefined });
  const out = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const v of value) out.append(name, v);
    else if (value !== undefined) out.set(name, value);
  }
  const bytes = Buffer.from(await res.body.arrayBuffer());
  return new Response(NULL_BODY.has(res.statusCode) ? null : bytes, { status: res.statusCode, headers: out });
}

export interface LoopbackFetch {
  fetch: FetchLike;
  /** Every URL asked for, before routing. */
  calls: URL[];
  /** Adds or changes a route: origin → http://127.0.0.1:port. */
  route(origin: string, target: string): void;
}

export function loopbackFetch(routes: Record<string, string> = {}): LoopbackFetch {
  const table = new Map<string, URL>();
  const calls: URL[] = [];
  const route = (origin: string, target: string) => {
    const t = new URL(target);
    if (t.hostname !== '127.0.0.1') throw new Error(`loopbackFetch: ${target} is not on 127.0.0.1`);
    table.set(new URL(origin).origin, t);
  };
  for (const [origin, target] of Object.entries(routes)) route(origin, target);
  return {
    calls,
    route,
    fetch: async (url, init) => {
      calls.push(new URL(url));
      const target = table.get(url.origin);
      if (!target) throw new Error(`loopbackFetch: no route for ${url.origin}`);
      const routed = new URL(`${url.pathname}${url.search}`, target);
      if (routed.hostname !== '127.0.0.1') throw new Error('loopbackFetch: refusing a non-loopback address');
      return send(routed, init);
    },
  };
}
