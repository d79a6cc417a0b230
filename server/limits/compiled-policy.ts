// A policy file's limits in the form the limiter counts with, worked out once per policy object
// (the snapshot's policies are frozen: a reload brings new objects, so a changed policy is
// compiled again and applies to the next request). Pure.
import type { Policy } from '../../schemas/types.gen.ts';
import { bucketShape, type BucketShape, type RatePer } from './token-bucket.ts';
import type { WindowPeriod } from './calendar-window.ts';
import type { FailMode } from './counter-store.ts';

export type PolicyScope = 'client' | 'binding' | 'client-binding';

export interface CompiledPolicy {
  name: string;
  /** How the policy's counters are divided (scope, or rateLimit.scope; default client); see scopeOf(). */
  scope: PolicyScope;
  /** What the policy's limits do while the shared store cannot be reached; absent: sil.yaml redis.failMode. */
  failMode?: FailMode;
  rate?: { requests: number; per: RatePer; shape: BucketShape };
  requests?: { max: number; period: WindowPeriod };
  tokens?: { max: number; period: WindowPeriod };
  budget?: { amount: number; currency: string; period: WindowPeriod; block: boolean; alertAtPercent: readonly number[] };
}

const compiled = new WeakMap<object, CompiledPolicy>();

export function compilePolicy(p: Readonly<Policy>): CompiledPolicy {
  let c = compiled.get(p);
  if (c) return c;
  c = { name: p.name, scope: p.scope ?? p.rateLimit?.scope ?? 'client' };
  if (p.failMode) c.failMode = p.failMode;
  if (p.rateLimit) c.rate = { requests: p.rateLimit.requests, per: p.rateLimit.per, shape: bucketShape(p.rateLimit.requests, p.rateLimit.per, p.rateLimit.burst) };
  if (p.quota?.requests) c.requests = { max: p.quota.requests, period: p.quota.period };
  if (p.quota?.tokens) c.tokens = { max: p.quota.tokens, period: p.quota.period };
  if (p.budget) {
    const block = p.budget.onExceeded === 'block';
    // An alerting budget says so when it is spent, even without an explicit 100.
    const percents = new Set(p.budget.alertAtPercent ?? []);
    if (!block) percents.add(100);
    c.budget = { amount: p.budget.amount, currency: p.budget.currency ?? 'USD', period: p.budget.period, block, alertAtPercent: [...percents].sort((a, b) => a - b) };
  }
  compiled.set(p, c);
  return c;
}

export type AttachKind = 'client' | 'binding' | 'provider';

/** Where a policy applies to one request: which counter (scope) and how messages name it (who). */
export interface AppliedPolicy {
  policy: CompiledPolicy;
  attachKind: AttachKind;
  /** The counter's scope key: "client:web", "binding:chat", "client-binding:web/chat", "provider:openai". */
  scope: string;
  /** For messages: "client web", "binding chat", "client web on binding chat", "provider openai". */
  who: string;
}

/**
 * The counter a policy attached to a client or a binding uses for this request. The attachment is
 * always part of it; the scope divides it further: a client's policy with scope binding or
 * client-binding counts each of the client's bindings apart, a binding's policy with scope
 * client or client-binding counts each of its clients apart.
 */
export function scopeOf(policy: CompiledPolicy, attachKind: 'client' | 'binding', client: string, binding: string): AppliedPolicy {
  const whole = attachKind === 'client' ? policy.scope === 'client' : policy.scope === 'binding';
  if (whole) return attachKind === 'client' ? { policy, attachKind, scope: `client:${client}`, who: `client ${client}` } : { policy, attachKind, scope: `binding:${binding}`, who: `binding ${binding}` };
  return { policy, attachKind, scope: `client-binding:${client}/${binding}`, who: `client ${client} on binding ${binding}` };
}

export function providerScope(policy: CompiledPolicy, provider: string): AppliedPolicy {
  return { policy, attachKind: 'provider', scope: `provider:${provider}`, who: `provider ${provider}` };
}
