// Stage 1: who is calling. The client token comes as `Authorization: Bearer sil_...` or
// `x-sil-key`; the caller's credentials go no further than this stage.
import type { Context } from 'koa';
import { proxyError } from '../proxy-error.ts';
import { lookupToken } from '../token-index.ts';
import type { ProxyState } from '../proxy-state.ts';

const REASONS = {
  format: 'the token is not a sil client token',
  unknown: 'the token is not known',
  revoked: 'the token has been revoked',
  expired: 'the token has expired',
  disabled: 'the client is disabled',
} as const;

export function authenticate(now: () => Date) {
  return function authenticateStage(ctx: Context, state: ProxyState): void {
    const headers = ctx.req.headers;
    const token = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1] ?? String(headers['x-sil-key'] ?? '');
    if (!token) throw proxyError('SIL_PROXY_UNAUTHENTICATED', 'no client token', 'send `Authorization: Bearer sil_...` (create one with `sil tokens create <client>`)');
    const found = lookupToken(state.snapshot, token, now());
    if (!found.ok) throw proxyError('SIL_PROXY_UNAUTHENTICATED', REASONS[found.reason]);
    state.client = found.client;
  };
}
