// The owner's own routes: GET /api/session, POST /api/setup/start, POST /api/setup/complete,
// POST /api/login, POST /api/logout. They run after loadSession (ctx.state.owner is set and the
// CSRF check of POSTs is done).
import { randomBytes } from 'node:crypto';
import type { Context, Next } from 'koa';
import { SilError } from '../../errors.ts';
import { readJsonObject } from '../security/body.ts';
import { csrfTokenFor } from '../security/csrf.ts';
import { PRESESSION_COOKIE, SESSION_COOKIE, clearCookie, readCookie, setCookie } from './cookies.ts';
import type { OwnerStore } from './owner-store.ts';
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from './password.ts';
import { sessionLimits, type OwnerRequestState } from './session.ts';
import type { SessionStore } from './session-store.ts';
import type { ThrottleGuard } from './throttle-guard.ts';
import { otpauthUri, qrSvg, verifyTotp } from './totp.ts';
import type { LiveConfig } from '../../config/live-config.ts';

/** What the owner middleware reports; assignable to server/observe/audit-log.ts's AuditEvent. */
export interface AuditEvent {
  type: 'setup.started' | 'setup.completed' | 'setup.failed' | 'login.succeeded' | 'login.failed' | 'login.locked' | 'logout' | 'session.expired' | 'owner.reset' | 'access.denied';
  actor: 'owner' | 'anonymous' | 'system';
  ip?: string;
  detail?: Readonly<Record<string, string | number | boolean>>;
}

export interface RouteDeps {
  live: LiveConfig;
  owners: OwnerStore;
  sessions: SessionStore;
  guard: ThrottleGuard;
  now: () => Date;
  audit: (event: AuditEvent) => void;
}

/** Small bodies: a token, a password, a code. */
const BODY_LIMIT = 16 * 1024;

export function ownerRoutes(deps: RouteDeps) {
  const { owners, sessions, guard, now, audit } = deps;

  async function startSession(ctx: Context, state: OwnerRequestState, ownerId: string): Promise<string> {
    const at = now().getTime();
    const { id } = await sessions.create(ownerId, at, { ip: state.ip, userAgent: ctx.get('user-agent') });
    await sessions.prune(at, sessionLimits(deps.live), ownerId);
    setCookie(ctx, SESSION_COOKIE, id, state.tls);
    if (state.presession) clearCookie(ctx, PRESESSION_COOKIE, state.tls);
    return csrfTokenFor(id);
  }

  async function session(ctx: Context, state: OwnerRequestState): Promise<void> {
    // A cookie of a session that ended: the browser may forget it.
    if (!state.session && readCookie(ctx, SESSION_COOKIE)) clearCookie(ctx, SESSION_COOKIE, state.tls);
    let secret = state.sessionId ?? state.presession;
    if (!secret) {
      secret = randomBytes(32).toString('base64url');
      setCookie(ctx, PRESESSION_COOKIE, secret, state.tls);
    }
    const limits = sessionLimits(deps.live);
    const s = state.session;
    ctx.body = {
      authenticated: s !== undefined,
      setupNeeded: state.ownerId === null,
      csrfToken: csrfTokenFor(secret),
      ...(s ? { session: { createdAt: new Date(s.createdAt).toISOString(), expiresAt: new Date(Math.min(s.createdAt + limits.maxMs, s.lastSeenAt + limits.idleMs)).toISOString(), idleMinutes: limits.idleMs / 60_000 } } : {}),
    };
  }

  async function setupStart(ctx: Context, state: OwnerRequestState): Promise<void> {
    guard.refuseIfBlocked(ctx, state.ip);
    const { token } = await readJsonObject(ctx, BODY_LIMIT);
    let secret: string;
    try {
      secret = await owners.beginSetup(token, now());
    } catch (err) {
      if (err instanceof SilError && err.code === 'SIL_SETUP_TOKEN') {
        guard.failed(ctx, state.ip);
        audit({ type: 'setup.failed', ip: state.ip, actor: 'anonymous', detail: { reason: err.message } });
      }
      throw err;
    }
    audit({ type: 'setup.started', ip: state.ip, actor: 'anonymous' });
    const uri = otpauthUri(secret);
    ctx.body = { totpSecret: secret, otpauthUri: uri, qrSvg: await qrSvg(uri) };
  }

  async function setupComplete(ctx: Context, state: OwnerRequestState): Promise<void> {
    guard.refuseIfBlocked(ctx, state.ip);
    const { token, password, totp } = await readJsonObject(ctx, BODY_LIMIT);
    let pending: { totpSecret: string };
    try {
      pending = await owners.pendingSetup(token, now());
    } catch (err) {
      if (err instanceof SilError && err.code === 'SIL_SETUP_TOKEN') guard.failed(ctx, state.ip);
      throw err;
    }
    const problem = passwordProblem(password);
    if (problem) throw new SilError('SIL_PASSWORD_WEAK', problem);
    const check = verifyTotp(pending.totpSecret, totp, now().getTime());
    if (!check.ok) throw new SilError('SIL_LOGIN_FAILED', 'The authenticator code is wrong.', { hint: 'Enter the 6-digit code the authenticator app shows for sil:owner after adding the secret (QR code or otpauth URI); check that the phone\'s clock is right.' });
    const passwordHash = await hashPassword(password as string);
    const owner = await owners.completeSetup(token, now(), { passwordHash, totpSecret: pending.totpSecret, totpLastStep: check.step });
    guard.succeeded(state.ip);
    state.ownerId = owner.id;
    const csrfToken = await startSession(ctx, state, owner.id);
    audit({ type: 'setup.completed', ip: state.ip, actor: 'owner' });
    ctx.body = { authenticated: true, setupNeeded: false, csrfToken };
  }

  async function login(ctx: Context, state: OwnerRequestState): Promise<void> {
    guard.refuseIfBlocked(ctx, state.ip);
    const release = guard.enter(ctx, state.ip);
    try {
      const { password, totp } = await readJsonObject(ctx, BODY_LIMIT);
      const owner = await owners.owner();
      if (!owner) throw new SilError('SIL_SETUP_NEEDED');
      const passwordOk = await verifyPassword(password, owner.passwordHash);
      const code = verifyTotp(owner.totpSecret, totp, now().getTime(), owner.totpLastStep);
      const ok = passwordOk && code.ok && (await owners.consumeTotpStep(owner.id, code.step));
      if (!ok) {
        const reason = !passwordOk ? 'password' : code.ok ? 'code-replayed' : `code-${code.reason}`;
        audit({ type: 'login.failed', ip: state.ip, actor: 'anonymous', detail: { reason } });
        const lock = guard.failed(ctx, state.ip);
        if (lock.locked) {
          audit({ type: 'login.locked', ip: state.ip, actor: 'anonymous', detail: { scope: lock.scope, seconds: Math.ceil(lock.retryAfterMs / 1000) } });
          throw new SilError('SIL_LOGIN_LOCKED', `Too many failed logins: locked for ${Math.ceil(lock.retryAfterMs / 60_000)} minutes.`);
        }
        throw new SilError('SIL_LOGIN_FAILED');
      }
      guard.succeeded(state.ip);
      if (needsRehash(owner.passwordHash)) await owners.updatePasswordHash(owner.id, await hashPassword(password as string), now());
      const csrfToken = await startSession(ctx, state, owner.id);
      audit({ type: 'login.succeeded', ip: state.ip, actor: 'owner' });
      ctx.body = { authenticated: true, setupNeeded: false, csrfToken };
    } finally {
      release();
    }
  }

  async function logout(ctx: Context, state: OwnerRequestState): Promise<void> {
    if (state.sessionId) {
      await sessions.delete(state.sessionId);
      audit({ type: 'logout', ip: state.ip, actor: 'owner' });
    }
    clearCookie(ctx, SESSION_COOKIE, state.tls);
    ctx.body = { authenticated: false };
  }

  const table: Record<string, (ctx: Context, state: OwnerRequestState) => Promise<void>> = {
    'GET /api/session': session,
    'POST /api/setup/start': setupStart,
    'POST /api/setup/complete': setupComplete,
    'POST /api/login': login,
    'POST /api/logout': logout,
  };

  return async function ownerRoute(ctx: Context, next: Next): Promise<void> {
    const handler = table[`${ctx.method} ${ctx.path}`];
    const state = ctx.state.owner as OwnerRequestState | undefined;
    if (!handler || !state || !Object.hasOwn(table, `${ctx.method} ${ctx.path}`)) return next();
    await guard.ready;
    await handler(ctx, state);
  };
}
