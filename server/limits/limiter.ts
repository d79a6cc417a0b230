// The limiter: admits or refuses each request against the policies of its client, its binding
// and (per attempt) the provider it goes to; settles token reservations and adds costs to budgets
// as the proxy reports usage (UsageRecorder); reports its counters (LimitStatusSource). Counting
// goes through a CounterStore: synchronous in memory, so admission then costs no await.
import { SilError } from '../errors.ts';
import type { ConfigSnapshot } from '../config/snapshot.ts';
import type { ProxyState } from '../proxy/proxy-state.ts';
import type { RequestOutcome, UsageRecord, UsageRecorder } from '../observe/usage-recorder.ts';
import type { LimitStatus, LimitStatusSource } from './limit-status.ts';
import { andThen, type CheckResult, type CounterOp, type CounterStore } from './counter-store.ts';
import { compilePolicy, providerScope, scopeOf, type AppliedPolicy } from './compiled-policy.ts';
import { WindowCache } from './calendar-window.ts';
import { counterKey } from './counter-key.ts';
import { estimateTokens, usedTokens } from './token-estimate.ts';
import { foldFigures, pushOps, refusalOf, unavailableRefusal, type OpMeta, type Refusal } from './limit-ops.ts';
import { crossedPercents, type BudgetAlert } from './budget-alerts.ts';
import { limitStatus } from './limit-status-view.ts';
import { mergeFigures, type Admission, type LimitHeaderFigures } from './admission.ts';

export type { Refusal } from './limit-ops.ts';

export interface LimiterDeps {
  store: CounterStore;
  now: () => number;
  /** The live snapshot (usage reports and status read the policies of the moment). */
  snapshot: () => ConfigSnapshot | null;
  /** A budget mark crossed (the hub writes it to the audit log). */
  onBudgetAlert?: (alert: BudgetAlert) => void;
}

/** What the proxy asks of the limits (server/proxy depends on this, not on the class). */
export interface ProxyLimits {
  /** The client's and the binding's policies; sets state.admission. Null when admitted. */
  admit(state: ProxyState): Refusal | null | Promise<Refusal | null>;
  /** The policy of the provider an attempt would go to; null when it may go. */
  admitProvider(state: ProxyState, provider: string): Refusal | null | Promise<Refusal | null>;
  /** The error that refuses the request (counted; Retry-After set on the admission). */
  refuse(state: ProxyState, refusal: Refusal): SilError;
}

const MAX_ALERTS = 200;
/** A reservation whose usage never came (an answer lost on the way) is let go after this; its tokens stay counted. */
const STALE_RESERVATION_MS = 15 * 60_000;

export class Limiter implements ProxyLimits, UsageRecorder, LimitStatusSource {
  readonly #deps: LimiterDeps;
  readonly #windows = new WindowCache();
  /** Admissions holding token reservations, by request id, until usage settles them. */
  readonly #held = new Map<string, Admission>();
  readonly #rejections = new Map<string, number>();
  readonly #alerts: BudgetAlert[] = [];

  constructor(deps: LimiterDeps) {
    this.#deps = deps;
  }

  admit(state: ProxyState): Refusal | null | Promise<Refusal | null> {
    const client = state.client;
    const binding = state.binding;
    if (!client || !binding) return null; // GET /v1/models: no binding, nothing to count
    const policies = state.snapshot.policies;
    const clientPolicy = client.policy ? policies.get(client.policy) : undefined;
    const bindingPolicy = binding.policy ? policies.get(binding.policy) : undefined;
    if (!clientPolicy && !bindingPolicy) return null;
    const applied: AppliedPolicy[] = [];
    if (clientPolicy) applied.push(scopeOf(compilePolicy(clientPolicy), 'client', client.name, binding.name));
    if (bindingPolicy) applied.push(scopeOf(compilePolicy(bindingPolicy), 'binding', client.name, binding.name));
    return this.#check(state, applied, undefined);
  }

  admitProvider(state: ProxyState, provider: string): Refusal | null | Promise<Refusal | null> {
    const name = state.snapshot.providers.get(provider)?.policy;
    const policy = name ? state.snapshot.policies.get(name) : undefined;
    if (!policy) return null;
    return this.#check(state, [providerScope(compilePolicy(policy), provider)], provider);
  }

  refuse(state: ProxyState, refusal: Refusal): SilError {
    const key = `${refusal.policy}|${refusal.kind}`;
    this.#rejections.set(key, (this.#rejections.get(key) ?? 0) + 1);
    const admission = (state.admission ??= { held: [], at: this.#deps.now() } satisfies Admission) as Admission;
    if (refusal.figures) mergeFigures(admission, refusal.figures);
    admission.retryAfterMs = refusal.retryAfterMs;
    return new SilError(refusal.code, refusal.message);
  }

  #check(state: ProxyState, applied: readonly AppliedPolicy[], provider: string | undefined): Refusal | null | Promise<Refusal | null> {
    const now = this.#deps.now();
    const timeZone = state.snapshot.settings.timeZone ?? 'UTC';
    const needsTokens = applied.some((a) => a.policy.tokens);
    const tokens = needsTokens ? estimateTokens(state.body.length, state.json, state.door === 'unified' && state.binding?.protocol === 'openai-chat') : 0;
    const ops: CounterOp[] = [];
    const metas: OpMeta[] = [];
    for (const a of applied) pushOps(ops, metas, a, tokens, now, timeZone, this.#windows);
    if (ops.length === 0) return null;
    const r = this.#deps.store.checkAndAdd(ops, now);
    // No closure on the in-memory path.
    return r instanceof Promise ? r.then((x) => this.#decide(state, ops, metas, x, now, provider)) : this.#decide(state, ops, metas, r, now, provider);
  }

  #decide(state: ProxyState, ops: readonly CounterOp[], metas: readonly OpMeta[], r: CheckResult, now: number, provider: string | undefined): Refusal | null {
    const figures: LimitHeaderFigures = {};
    foldFigures(figures, ops, metas, r.used, now);
    if (r.unavailable && r.refused >= 0) return { ...unavailableRefusal(metas[r.refused]), figures };
    // A refusal carries its figures: a provider passed over must not colour the answer another gives.
    if (r.refused >= 0) return { ...refusalOf(ops[r.refused], metas[r.refused], r.used[r.refused], now), figures };
    const admission = (state.admission ??= { held: [], at: now } satisfies Admission) as Admission;
    mergeFigures(admission, figures);
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      // Not counted (the shared store away, failMode open): nothing to settle.
      if (metas[i].kind !== 'quota.tokens' || op.type !== 'window' || op.amount === 0 || r.used[i] === undefined) continue;
      admission.held.push({ key: op.key, amount: op.amount, expiresAt: op.expiresAt, provider, failMode: op.failMode, local: r.local });
    }
    if (admission.held.length > 0) this.#held.set(state.requestId, admission);
    return null;
  }

  record(r: UsageRecord): void {
    const now = this.#deps.now();
    const admission = this.#held.get(r.requestId);
    if (admission) {
      this.#held.delete(r.requestId);
      const real = usedTokens(r.usage);
      const settled = new Set<string>();
      for (const h of admission.held) {
        // Reserved for a provider that did not answer, or again for a repeated attempt: released.
        // Usage unknown: the estimate stays.
        const release = (h.provider !== undefined && h.provider !== r.provider) || settled.has(h.key);
        settled.add(h.key);
        const delta = release ? -h.amount : real === undefined ? 0 : real - h.amount;
        if (delta !== 0) void this.#deps.store.add(h.key, delta, h.expiresAt, now, h);
      }
    }
    if (r.cost !== undefined && r.cost > 0) this.#addCost(r, r.cost, now);
  }

  outcome(r: RequestOutcome): void {
    if (r.answered) return; // usage follows in record()
    const admission = this.#held.get(r.requestId);
    if (!admission) return;
    this.#held.delete(r.requestId);
    const now = this.#deps.now();
    for (const h of admission.held) void this.#deps.store.add(h.key, -h.amount, h.expiresAt, now, h);
  }

  /** Adds a cost to every budget of the request's client, binding and provider in the same currency. */
  #addCost(r: UsageRecord, cost: number, now: number): void {
    const snap = this.#deps.snapshot();
    if (!snap) return;
    const currency = r.currency ?? 'USD';
    const timeZone = snap.settings.timeZone ?? 'UTC';
    const applied: AppliedPolicy[] = [];
    const policyOf = (name: string | undefined) => (name ? snap.policies.get(name) : undefined);
    const cp = policyOf(snap.clients.get(r.client)?.policy);
    const bp = policyOf(snap.bindings.get(r.binding)?.policy);
    const pp = policyOf(snap.providers.get(r.provider)?.policy);
    if (cp) applied.push(scopeOf(compilePolicy(cp), 'client', r.client, r.binding));
    if (bp) applied.push(scopeOf(compilePolicy(bp), 'binding', r.client, r.binding));
    if (pp) applied.push(providerScope(compilePolicy(pp), r.provider));
    for (const a of applied) {
      const b = a.policy.budget;
      if (!b || b.currency !== currency) continue;
      const w = this.#windows.at(now, b.period, timeZone);
      const key = counterKey('budget', a.policy.name, a.attachKind, a.scope, w.start);
      void andThen(this.#deps.store.add(key, cost, w.end, now, { failMode: a.policy.failMode }), (after) => {
        for (const percent of crossedPercents(after - cost, after, b.amount, b.alertAtPercent)) {
          this.#alert({ policy: a.policy.name, scope: a.scope, percent, spent: after, amount: b.amount, currency, periodStart: w.start, at: now });
        }
      });
    }
  }

  #alert(alert: BudgetAlert): void {
    this.#alerts.push(alert);
    if (this.#alerts.length > MAX_ALERTS) this.#alerts.splice(0, this.#alerts.length - MAX_ALERTS);
    this.#deps.onBudgetAlert?.(alert);
  }

  /** Lets go of reservations whose usage never came (their tokens stay counted). */
  sweep(now = this.#deps.now()): void {
    for (const [id, a] of this.#held) if (now - a.at > STALE_RESERVATION_MS) this.#held.delete(id);
  }

  status(now = this.#deps.now()): LimitStatus[] {
    const snap = this.#deps.snapshot();
    return snap ? limitStatus(this.#deps.store.entries(now), snap, now, this.#windows) : [];
  }

  rejections(): ReadonlyMap<string, number> {
    return this.#rejections;
  }

  /** Budget marks crossed recently, oldest first. */
  alerts(): readonly BudgetAlert[] {
    return this.#alerts;
  }

  /** Reservations waiting for usage (for tests and status). */
  get pendingReservations(): number {
    return this.#held.size;
  }
}
