// The fetch of token requests (OAuth2 client credentials, Google service accounts) in the hub:
// its own connection pool, whose connections resolve names the way the proxy's do (with the
// connect-time address check of server/proxy/guarded-lookup.ts).
import { Agent, fetch as undiciFetch } from 'undici';
import type { LookupFn } from '../proxy/guarded-lookup.ts';
import type { FetchLike } from './token-request.ts';

export interface TokenFetch {
  fetch: FetchLike;
  close(): Promise<void>;
}

export function tokenFetch(lookup: LookupFn): TokenFetch {
  const agent = new Agent({ connect: { lookup }, keepAliveTimeout: 30_000 });
  return {
    // undici's Response is the WHATWG Response the schemes read (status, headers, text, json).
    fetch: (url, init) => undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
    close: () => agent.close(),
  };
}
