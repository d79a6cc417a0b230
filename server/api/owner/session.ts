// Per /api request: who is asking (the owner's live session, if any), the CSRF check of
// state-changing calls, and the gate that refuses every /api route but the open ones without a
// session (401 SIL_SESSION_REQUIRED).
import type { Context, Next } from 'koa';
import type { LiveConfig } from '../../config/live-config.ts';
import { SilError } from '../../errors.ts';
import { checkCsrf } from '../security/csrf.ts';
import { isApiPath, isUnsafeMethod } from '../security/paths.ts';
import { PRESESSION_COOKIE, SESSION_COOKIE, peerIsTrustedProxy, readCookie, requestIsTls } from './cookies.ts';
import type { OwnerStore } from './owner-store.ts';
import type { SessionLimits, SessionRecord, SessionStore } from './session-store.ts';

/** What the owner middleware puts in ctx.state.owner for /api requests. */
export interface OwnerRequestState {
  /** The owner's id; null before setup. */
  ownerId: string | null;
  /** The live session of the request's cookie. */
  session?: SessionRecord;
  /** That session's id (the cookie value). */
  sessionId?: string;
  /** The pre-session cookie, when the browser has a well-formed one. */
  presession?: string;
  /** The client address (after trusted proxies). */
  ip: string;
  /** Cookies get Secure. */
  tls: boolean;
}

/** Routes that work without a session: the session probe, login, logout and first-run setup. */
export function isOpenApiPath(path: string): boolean {
  return path === '/api/session' || path === '/api/login' || path === '/api/logout' || path.startsWith('/api/setup/');
}

const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

export function sessionLimits(live: LiveConfig): SessionLimits {
  const s = live.snapshot?.settings.security;
  return { idleMs: (s?.sessionIdleMinutes ?? 30) * 60_000, maxMs: (s?.sessionMaxHours ?? 12) * 3_600_000 };
}

export interface SessionDeps {
  live: LiveConfig;
  owners: OwnerStore;
  sessions: SessionStore;
  now: () => Date;
  clientAddress: (ctx: Context) => string;
  /** The owner record changed under the running hub (`sil owner reset`). */
  onOwnerChanged?: (from: string, to: string | null) => void;
}

/** The names the browser used for this hub: Host, and X-Forwarded-Host from a trusted proxy. */
function hostsOf(ctx: Context, live: LiveConfig): string[] {
  const hosts = [ctx.get('host')];
  const forwarded = ctx.get('x-forwarded-host');
  if (forwarded && peerIsTrustedProxy(ctx, live)) hosts.push(forwarded.split(',').pop()!.trim());
  return hosts;
}

/** Loads ctx.state.owner for /api requests and checks CSRF on state-changing ones. */
export function loadSession(deps: SessionDeps) {
  let lastOwnerId: string | null = null;
  return async function ownerSession(ctx: Context, next: Next): Promise<void> {
    if (!isApiPath(ctx.path)) return next();
    const ownerId = await deps.owners.ownerId();
    if (lastOwnerId !== null && ownerId !== lastOwnerId) deps.onOwnerChanged?.(lastOwnerId, ownerId);
    lastOwnerId = ownerId;
    const cookie = readCookie(ctx, SESSION_COOKIE);
    const session = await deps.sessions.lookup(cookie, deps.now().getTime(), sessionLimits(deps.live), ownerId);
    const pre = readCookie(ctx, PRESESSION_COOKIE);
    const state: OwnerRequestState = {
      ownerId,
      ip: deps.clientAddress(ctx),
      tls: requestIsTls(ctx, deps.live),
      ...(session ? { session, sessionId: cookie } : {}),
      ...(pre && COOKIE_VALUE.test(pre) ? { presession: pre } : {}),
    };
    ctx.state.owner = state;
    if (isUnsafeMethod(ctx.method)) checkCsrf(ctx, state.sessionId ?? state.presession, hostsOf(ctx, deps.live));
    try {
      await next();
    } finally {
      lastOwnerId = state.ownerId; // setup sets it
    }
  };
}

/** 401 for every /api route but the open ones when the request has no live session. */
export function requireSession() {
  return async function sessionRequired(ctx: Context, next: Next): Promise<void> {
    if (isApiPath(ctx.path) && !isOpenApiPath(ctx.path)) {
      const state = ctx.state.owner as OwnerRequestState | undefined;
      if (!state?.session) throw new SilError('SIL_SESSION_REQUIRED');
    }
    await next();
  };
}
