// One active probe: the template's health check rendered with the key's credentials (through the
// auth-scheme renderers, so a key goes where the template's auth puts it), sent through the hub's
// guarded upstream with the check's time limit, and judged by its `expect`. A `token` check
// obtains a fresh OAuth token instead. Messages never hold a URL (it may carry a key) or a body.
import type { CompiledProvider } from '../../config/snapshot.ts';
import type { AuthScheme, HealthCheck } from '../../../schemas/types.gen.ts';
import type { SecretValues } from '../../auth-schemes/types.ts';
import { invalidateAuth, obtainToken, renderRequestWithAuth, type AuthDeps } from '../../auth-schemes/async-registry.ts';
import type { RequestTemplate } from '../../auth-schemes/render-request.ts';
import type { Upstream } from '../../proxy/upstream.ts';
import { bodyText, discardBody } from '../../proxy/upstream-body.ts';
import type { ProbeResult } from './types.ts';
import { withDerived } from '../../config/derived-connection.ts';
import { isRateLimited, readRateLimit, waitMs } from '../rate-limit.ts';

export const DEFAULT_TIMEOUT_MS = 5000;
const MAX_BODY_CHARS = 64 * 1024;

export interface ProbeDeps {
  upstream: Upstream;
  auth: AuthDeps;
  now: () => number;
}

/** `retryAfterMs`: the wait a 429 asked for, read as the template's `rateLimit` describes it (rate-limit.ts). */
export interface ProbeOutcome { result: ProbeResult; retryAfterMs?: number }

/** The service a check names with `service:` (its auth and base URL), if any. */
function checkService(p: CompiledProvider, check: HealthCheck | undefined) {
  return check?.service === undefined ? undefined : p.services.find((s) => s.id === check.service);
}

/** The auth scheme the health check uses: its `service:`'s, else the provider's (the auth option applied). */
export function providerAuth(p: CompiledProvider, check: HealthCheck | undefined = p.healthCheck): AuthScheme | null {
  return checkService(p, check)?.auth ?? p.auth ?? null;
}

function pick(value: unknown, path: string): unknown {
  let v = value;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Why an answer does not meet `expect`, or null when it does (default: any 2xx). */
export function unmet(check: HealthCheck, status: number, text: string | null): string | null {
  const e = check.expect;
  const okStatus = e?.status ? e.status.includes(status) : status >= 200 && status < 300;
  if (!okStatus) return `status ${status}`;
  if (e?.bodyContains !== undefined && !(text ?? '').includes(e.bodyContains)) return 'the answer lacks the expected text';
  if (e?.bodyPath !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text ?? '');
    } catch {
      return 'the answer is not JSON';
    }
    const got = pick(parsed, e.bodyPath);
    if (e.equals === undefined ? got === undefined : got !== e.equals) return `${e.bodyPath} is not as expected`;
  }
  return null;
}

function jsonOf(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The request of a `kind: request` health check, as a template for renderRequest. */
export function healthRequestTemplate(p: CompiledProvider, check: HealthCheck, auth: AuthScheme | null): RequestTemplate {
  const headers: Record<string, string> = { Accept: 'application/json', ...p.definition.headers, ...check.headers };
  if (check.body !== undefined && /^\s*[[{]/.test(check.body) && !Object.keys(headers).some((n) => n.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  return { baseUrl: check.baseUrl ?? checkService(p, check)?.baseUrl ?? p.baseUrl, path: check.path ?? '', method: check.method ?? 'GET', headers, query: { ...p.definition.query, ...check.query }, ...(check.body !== undefined ? { body: check.body } : {}), auth };
}

export async function runProbe(p: CompiledProvider, keyId: string | undefined, secret: SecretValues, deps: ProbeDeps): Promise<ProbeOutcome> {
  const check = p.healthCheck;
  const started = deps.now();
  const done = (ok: boolean, extra: Partial<ProbeResult> = {}): ProbeResult => ({ at: started, ok, ms: Math.max(0, deps.now() - started), ...extra });
  if (!check || check.kind === 'passive') return { result: done(true) };
  const auth = check.auth === false ? null : providerAuth(p);
  const ctx = { connection: withDerived(p.connection, p.derived, secret), origins: p.origins, secret, keyId, providerId: p.id, now: () => new Date(deps.now()) };
  const timeoutMs = check.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    if (check.kind === 'token') {
      if (!auth) return { result: done(false, { error: 'the token check needs an auth scheme' }) };
      await obtainToken(auth, ctx, deps.auth, { force: true });
      return { result: done(true) };
    }
    const timeouts = { connectMs: timeoutMs, firstByteMs: timeoutMs, totalMs: timeoutMs };
    const send = async () => {
      const req = await renderRequestWithAuth(healthRequestTemplate(p, check, auth), ctx, deps.auth);
      return { req, sent: await deps.upstream.send({ method: req.method, origin: req.url.origin, path: `${req.url.pathname}${req.url.search}`, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) }, timeouts) };
    };
    let { req, sent } = await send();
    // A 401 to a cached access token: the provider may have dropped it early; a new one, once (as the proxy does).
    if (sent.kind === 'response' && sent.status === 401 && auth && invalidateAuth(auth, req, ctx, deps.auth)) {
      discardBody(sent.body);
      ({ req, sent } = await send());
    }
    if (sent.kind === 'timeout') return { result: done(false, { error: `timeout (${sent.phase})` }) };
    if (sent.kind === 'connect-error') return { result: done(false, { error: `connect error (${sent.detail})` }) };
    const limited = isRateLimited(sent.status, p.rateLimit);
    const needsBody = check.expect?.bodyContains !== undefined || check.expect?.bodyPath !== undefined || (limited && p.rateLimit?.retryAfterBody !== undefined);
    const text = needsBody ? await bodyText(sent.body, MAX_BODY_CHARS) : (discardBody(sent.body), null);
    const why = unmet(check, sent.status, text);
    const wait = limited ? waitMs(readRateLimit(p.rateLimit ?? {}, sent.headers, deps.now(), jsonOf(text)), deps.now()) : undefined;
    return { result: done(why === null, { status: sent.status, ...(why ? { error: why } : {}) }), ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  } catch (err) {
    // Render and token errors are sil's own messages, written never to repeat a credential.
    const code = (err as { code?: string }).code;
    return { result: done(false, { error: code ? `${code}: ${String((err as Error).message).slice(0, 200)}` : 'the probe could not be sent' }) };
  }
}
