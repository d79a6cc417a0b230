// Stages 4–6: plan the targets, then for each attempt render the request, send it and classify
// the outcome (success, fail over, final); the chosen answer is passed on by pass-on.ts. Fails
// over only before the first byte reaches the caller; a request that is not safe to repeat gets
// one attempt.
import type { Context } from 'koa';
import { compileConditions, shouldFailOver, type AttemptOutcome, type FailoverMatcher } from '../../core/failover-conditions.ts';
import type { CompiledBinding, CompiledTarget } from '../../config/snapshot.ts';
import { delayBeforeAttempt, DEFAULT_MAX_RETRY_AFTER_MS } from '../../core/backoff.ts';
import { proxyError } from '../proxy-error.ts';
import { attemptAdapter, attemptModel, attemptRequest } from '../attempt-request.ts';
import type { Timeouts, Upstream } from '../upstream.ts';
import type { ProxyState } from '../proxy-state.ts';
import { circuitKey } from '../../core/circuit-registry.ts';
import type { TargetChoice } from '../target-choice.ts';
import { invalidateAuth, type AuthDeps } from '../../auth-schemes/async-registry.ts';
import { SilError } from '../../errors.ts';
import { RetryBook } from '../retry-book.ts';
import { discardBody } from '../upstream-body.ts';
import type { UsageRecorder } from '../../observe/usage-recorder.ts';
import type { ProtocolAdapter } from '../../protocols/types.ts';
import { passOn } from './pass-on.ts';
import type { ProxyLimits, Refusal } from '../../limits/limiter.ts';
import { withDerived } from '../../config/derived-connection.ts';
import { isRateLimited, providerRetryAfterMs } from '../../observe/rate-limit.ts';

export interface ForwardDeps {
  upstream: Upstream;
  choice: TargetChoice;
  /** Token cache and fetch for the token-based auth schemes (OAuth2, Google service accounts). */
  auth: AuthDeps;
  usage?: UsageRecorder;
  now: () => Date;
  /** Policies of clients, bindings and providers (server/limits); none: nothing is limited. */
  limits?: ProxyLimits;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LIMITED: AttemptOutcome = { kind: 'response', status: 429 };
interface BindingRules { matcher: FailoverMatcher; timeouts: Timeouts }
const rules = new WeakMap<CompiledBinding, BindingRules>();
/** The binding's failover conditions and time limits, compiled once per snapshot. */
function rulesOf(binding: CompiledBinding): BindingRules {
  let r = rules.get(binding);
  if (!r) {
    const f = binding.failover;
    r = { matcher: compileConditions(f.on), timeouts: { connectMs: f.connectTimeoutMs ?? 5_000, firstByteMs: f.firstByteTimeoutMs ?? f.timeoutMs, totalMs: f.timeoutMs } };
    rules.set(binding, r);
  }
  return r;
}

/**
 * Whether a request may be sent more than once: a safe method, the caller's Idempotency-Key, a
 * binding marked retrySafe, or services that say so themselves — each planned target's service is
 * `retrySafe` in its template, or honours an idempotency header (PayPal-Request-Id) the caller sent.
 */
function retrySafe(ctx: Context, state: ProxyState, attempts: readonly { target: CompiledTarget }[]): boolean {
  if (state.door === 'unified') return true;
  if (SAFE_METHODS.has(ctx.method) || ctx.get('idempotency-key') !== '' || state.binding!.failover.retrySafe === true) return true;
  return attempts.every(({ target: t }) => {
    const service = state.snapshot.providers.get(t.provider)?.services.find((s) => s.id === t.service);
    return service !== undefined && (service.retrySafe || (service.idempotencyHeader !== undefined && ctx.get(service.idempotencyHeader) !== ''));
  });
}

const LIMIT_REASON: Record<Refusal['kind'], string> = { rate: 'rate limit', 'quota.requests': 'request quota', 'quota.tokens': 'token quota', budget: 'budget' };

const describe = (o: AttemptOutcome) => (o.kind === 'response' ? String(o.status) : o.kind === 'timeout' ? `timeout (${o.phase})` : 'connect-error');

export function forward(deps: ForwardDeps) {
  return async function forwardStage(ctx: Context, state: ProxyState): Promise<void> {
    const binding = state.binding!;
    const plan = deps.choice.plan(binding, state.snapshot);
    for (const s of plan.skipped) state.failoverReasons.push(`${s.target.provider}: ${s.reason}`);
    const attempts = plan.attempts.length > 1 && !retrySafe(ctx, state, plan.attempts) ? plan.attempts.slice(0, 1) : plan.attempts;
    if (attempts.length === 0) throw proxyError('SIL_PROXY_NO_TARGET', `no target of binding "${binding.name}" can take the request: ${state.failoverReasons.join('; ') || 'none is usable'}`);
    const { matcher, timeouts } = rulesOf(binding);
    let last: AttemptOutcome | undefined;
    // Retry-After answers and skipped pairs: only a request that fails over needs them.
    let retries: RetryBook | null = null;
    const maxRetryAfterMs = binding.failover.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    /** Whether an attempt after `i` will really be sent (a repeat behind a long Retry-After will not). */
    const hasNextAttempt = (i: number) => i < attempts.length - 1 && (retries === null || attempts.slice(i + 1).some((a) => retries!.willSend(a, maxRetryAfterMs)));
    // Providers passed over because their policy is at a limit (a repeat of one is not tried again).
    let limited: Map<string, Refusal> | null = null;

    for (let i = 0; i < attempts.length; i++) {
      const { target, keyId } = attempts[i];
      if (retries?.skipped(attempts[i])) continue;
      // Another target goes at once; the same target and key again waits (backoff, Retry-After).
      if (i > 0 && attempts[i].repeat) {
        const decision = delayBeforeAttempt(i, { backoffMs: binding.failover.backoffMs, retryAfterMs: retries?.retryAfterOf(attempts[i]), maxRetryAfterMs: binding.failover.maxRetryAfterMs, random: Math.random });
        if ('skipTarget' in decision) {
          (retries ??= new RetryBook()).skip(attempts[i]);
          continue;
        }
        if (decision.delayMs > 0) await new Promise((r) => setTimeout(r, decision.delayMs));
      }
      const provider = state.snapshot.providers.get(target.provider)!;
      const service = provider.services.find((s) => s.id === target.service)!;
      const secret = keyId === null ? {} : (state.snapshot.keyrings.get(provider.id)?.secretOf(keyId) ?? {});
      const breaker = deps.choice.breakers.get(circuitKey(provider.id, service.id, keyId), binding.failover.circuitBreaker);
      if (!breaker.allow()) {
        state.failoverReasons.push(`${provider.id}: circuit open`);
        continue;
      }
      if (limited?.has(provider.id)) continue;
      if (deps.limits) {
        const pending = deps.limits.admitProvider(state, provider.id);
        const refusal = pending instanceof Promise ? await pending : pending;
        if (refusal) {
          state.failoverReasons.push(`${provider.id}: ${refusal.code === 'SIL_LIMIT_STORE_UNAVAILABLE' ? 'limit store unavailable' : LIMIT_REASON[refusal.kind]} (policy ${refusal.policy})`);
          (limited ??= new Map()).set(provider.id, refusal);
          continue;
        }
      }
      let adapter: ProtocolAdapter | null;
      let request;
      try {
        adapter = attemptAdapter(state, service);
        const pending = attemptRequest({ state, provider, service, target, secret, keyId: keyId ?? '', method: ctx.method, querystring: ctx.querystring, headers: ctx.headers, now: deps.now }, adapter, deps.auth);
        // Header-only schemes answer at once: no promise to wait for.
        request = pending instanceof Promise ? await pending : pending;
      } catch (err) {
        // This target cannot take this request (no adapter, untranslatable): try the next.
        if (!(err instanceof SilError) || err.code !== 'SIL_PROXY_BAD_REQUEST' || i === attempts.length - 1) throw err;
        state.failoverReasons.push(`${provider.id}: ${err.message}`);
        continue;
      }
      const started = performance.now();
      let result = await deps.upstream.send(request, timeouts);
      // A 401 with a cached access token: the token may have been revoked early; get a new one once.
      if (result.kind === 'response' && result.status === 401 && invalidateAuth(service.auth, request, { connection: withDerived(provider.connection, provider.derived, secret), origins: provider.origins, secret, keyId: keyId ?? '', now: deps.now, providerId: provider.id }, deps.auth)) {
        discardBody(result.body);
        request = await attemptRequest({ state, provider, service, target, secret, keyId: keyId ?? '', method: ctx.method, querystring: ctx.querystring, headers: ctx.headers, now: deps.now }, adapter, deps.auth);
        result = await deps.upstream.send(request, timeouts);
      }
      const ms = performance.now() - started;
      const outcome: AttemptOutcome = result.kind === 'response' ? { kind: 'response', status: result.status } : result.kind === 'timeout' ? { kind: 'timeout', phase: result.phase } : { kind: 'connect-error' };
      // A status the template says means "limit reached" (Cloudinary's 420) fails over like a 429.
      const failing = shouldFailOver(outcome, matcher) || (outcome.kind === 'response' && outcome.status !== 429 && isRateLimited(outcome.status, provider.rateLimit) && shouldFailOver(LIMITED, matcher));
      // A plain retry-after on any answer; on a 429 also the template's rateLimit (structured headers, resets).
      const after = result.kind === 'response' ? providerRetryAfterMs(result.status, result.headers, provider.rateLimit, deps.now().getTime()) : undefined;
      if (after !== undefined) (retries ??= new RetryBook()).setRetryAfter(attempts[i], after);
      const isLast = !hasNextAttempt(i);
      state.attempts.push({ provider: provider.id, service: service.id, keyId: keyId ?? '', model: attemptModel(state, target), outcome: describe(outcome), status: result.kind === 'response' ? result.status : undefined, ms });
      breaker.record(outcome.kind === 'response' && outcome.status < 500 && !isRateLimited(outcome.status, provider.rateLimit));
      if (outcome.kind === 'response') deps.choice.latency.observe(target, ms);
      last = outcome;
      if (failing && !isLast) {
        state.failoverReasons.push(`${provider.id}: ${describe(outcome)}`);
        if (result.kind === 'response') discardBody(result.body);
        continue;
      }
      if (result.kind !== 'response') {
        state.failoverReasons.push(`${provider.id}: ${describe(outcome)}`);
        break;
      }
      // This answer goes to the caller: from here on there is no failover.
      if (failing) state.failoverReasons.push(`${provider.id}: ${describe(outcome)}`);
      await passOn(ctx, state, { provider: provider.id, service, model: attemptModel(state, target), keyId: keyId ?? '', adapter, answer: result }, deps.usage);
      return;
    }
    // Every target passed over for its provider's limits: the caller is told which and when to retry.
    if (!last && limited && state.failoverReasons.length === plan.skipped.length + limited.size) {
      const soonest = [...limited.values()].reduce((a, b) => (b.retryAfterMs < a.retryAfterMs ? b : a));
      throw deps.limits!.refuse(state, soonest);
    }
    const what = last ? `every attempt failed (${state.attempts.length} sent)` : 'no attempt could be sent';
    throw proxyError(last?.kind === 'timeout' ? 'SIL_PROXY_TIMEOUT' : 'SIL_PROXY_UPSTREAM', `${what}: ${state.failoverReasons.join('; ') || 'no target was usable'}`);
  };
}
