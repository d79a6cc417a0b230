// The bindings and clients screens' state and pure logic: the binding form (to and from the
// API's document, keeping fields the form does not show), failover conditions, the reorder
// helpers behind drag and keyboard moves, provider choices for a target, and the client form.
// No DOM, no I/O: tested in Node (test/unit/admin/bindings.test.ts).

import type { Binding as BindingFile } from '../../../schemas/types.gen.ts';
import type { ClientTokenView, ClientView, ProviderSummary } from '../../../server/api/admin/answers.ts';

export const STRATEGIES = ['priority', 'weighted', 'least-latency', 'lowest-cost', 'round-robin'] as const;
export const PROTOCOLS = [
  'openai-chat', 'openai-embeddings', 'openai-images', 'openai-audio-transcriptions', 'openai-audio-speech',
  'anthropic-messages', 'gemini-generate-content', 'gemini-embed-content', 'cohere-chat', 'cohere-embed',
  'cohere-rerank', 'bedrock-converse', 'bedrock-invoke', 'http',
] as const;
/** The failover conditions offered as checkboxes; `on` defaults to the first four. */
export const CONDITIONS = ['connect-error', 'timeout', '429', '5xx', '408', '4xx'] as const;
export const DEFAULT_ON: readonly string[] = ['connect-error', 'timeout', '429', '5xx'];
const CONDITION = /^(connect-error|timeout|[1-5]xx|[1-5][0-9]{2})$/;
export const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The protocols the proxy adapts for a binding's protocol (server/protocols/compatibility.ts;
 * a unit test keeps the two equal).
 */
export const ADAPTED_PROTOCOLS: Readonly<Record<string, readonly string[]>> = {
  'openai-chat': ['anthropic-messages', 'gemini-generate-content', 'cohere-chat', 'bedrock-converse'],
};
export const canServe = (binding: string, service: string): boolean => binding === service || (ADAPTED_PROTOCOLS[binding]?.includes(service) ?? false);

export type Json = Record<string, unknown>;
/** A binding file as the API answers it (the generated schema type). */
export type Binding = BindingFile;
export type Target = Binding['targets'][number];
/** A target row of the form: `uid` keeps a row's identity (keys, focus) while it moves. */
export interface TargetRow { uid: number; provider: string; model: string; weight: string; rest: Json }
export interface BindingForm {
  name: string;
  description: string;
  environment: string;
  protocol: string;
  strategy: string;
  enabled: boolean;
  policy: string;
  targets: TargetRow[];
  on: string[];
  timeoutMs: string;
  maxAttempts: string;
  retrySafe: boolean;
}

let nextUid = 1;
export function newRow(provider = '', model = ''): TargetRow {
  return { uid: nextUid++, provider, model, weight: '', rest: {} };
}

export function formOf(b: Binding | null, environment = 'prod'): BindingForm {
  const f = (b?.failover ?? {}) as { on?: string[]; timeoutMs?: number; maxAttempts?: number; retrySafe?: boolean };
  return {
    name: b?.name ?? '',
    description: b?.description ?? '',
    environment: b?.environment ?? environment,
    protocol: b?.protocol ?? 'openai-chat',
    strategy: b?.strategy ?? 'priority',
    enabled: b?.enabled !== false,
    policy: b?.policy ?? '',
    targets: (b?.targets ?? []).map(({ provider, model, weight, ...rest }) => ({ ...newRow(provider, model ?? ''), weight: weight === undefined ? '' : String(weight), rest })),
    on: [...(f.on ?? DEFAULT_ON)],
    timeoutMs: f.timeoutMs === undefined ? '' : String(f.timeoutMs),
    maxAttempts: f.maxAttempts === undefined ? '' : String(f.maxAttempts),
    retrySafe: f.retrySafe === true,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The document to PUT/POST: the original's other fields kept, the form's fields applied. */
export function bindingOf(form: BindingForm, original: Binding | null = null): Binding {
  const out: Json = { ...(original ?? {}) };
  const set = (key: string, value: unknown, keep: boolean) => (keep ? (out[key] = value) : delete out[key]);
  out.name = form.name.trim();
  set('description', form.description.trim(), form.description.trim() !== '');
  out.environment = form.environment;
  set('enabled', false, !form.enabled);
  out.protocol = form.protocol;
  set('strategy', form.strategy, form.strategy !== 'priority' || original?.strategy !== undefined);
  out.targets = form.targets.map((r) => {
    const t: Json = { provider: r.provider, ...r.rest };
    if (r.model.trim()) t.model = r.model.trim();
    if (r.weight.trim() !== '') t.weight = Number(r.weight);
    return t;
  });
  const failover: Json = { ...(original?.failover ?? {}) };
  const originalOn = (original?.failover as { on?: string[] } | undefined)?.on;
  if (originalOn !== undefined || !sameSet(form.on, DEFAULT_ON)) failover.on = [...form.on];
  for (const key of ['timeoutMs', 'maxAttempts'] as const) {
    if (form[key].trim() === '') delete failover[key];
    else failover[key] = Number(form[key]);
  }
  if (form.retrySafe) failover.retrySafe = true;
  else delete failover.retrySafe;
  set('failover', failover, Object.keys(failover).length > 0);
  set('policy', form.policy, form.policy !== '');
  return out as unknown as Binding;
}

export type FormProblem = 'name' | 'targets' | 'provider' | 'weight' | 'timeoutMs' | 'maxAttempts' | 'on';

/** What the form can tell before sending (the validator checks the rest: references, environments). */
export function formProblems(form: BindingForm): Partial<Record<FormProblem, true>> {
  const p: Partial<Record<FormProblem, true>> = {};
  const int = (v: string, min: number, max: number) => v.trim() === '' || (/^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max);
  if (!NAME.test(form.name.trim())) p.name = true;
  if (form.targets.length === 0) p.targets = true;
  if (form.targets.some((r) => !r.provider)) p.provider = true;
  if (form.targets.some((r) => !int(r.weight, 0, 1000))) p.weight = true;
  if (!int(form.timeoutMs, 100, 600000)) p.timeoutMs = true;
  if (!int(form.maxAttempts, 1, 10)) p.maxAttempts = true;
  if (!form.on.every((c) => CONDITION.test(c))) p.on = true;
  return p;
}

/** Conditions typed by hand ("408, 503"): the valid ones, and the rest to point out. */
export function parseConditions(text: string): { valid: string[]; invalid: string[] } {
  const words = text.split(/[\s,]+/).map((w) => w.trim().toLowerCase()).filter(Boolean);
  return { valid: [...new Set(words.filter((w) => CONDITION.test(w)))], invalid: words.filter((w) => !CONDITION.test(w)) };
}

// ---- reordering ----

/** A copy of `list` with the item at `from` moved to index `to` (clamped). */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= out.length) return out;
  const [item] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(to, out.length)), 0, item);
  return out;
}

/**
 * Where a keyboard move takes the item at `index`: ArrowUp/ArrowDown one place, Home/End to
 * either end; null for other keys and for moves past an end.
 */
export function keyMove(key: string, index: number, length: number): number | null {
  const to = key === 'ArrowUp' ? index - 1 : key === 'ArrowDown' ? index + 1 : key === 'Home' ? 0 : key === 'End' ? length - 1 : null;
  return to === null || to < 0 || to >= length || to === index ? null : to;
}

/**
 * Where a dragged row lands: `mids` are the vertical midpoints of every row as laid out when the
 * drag started (the dragged one included), `y` the pointer. The answer is the index the row
 * takes in the list after the move: the number of other rows whose midpoint is above `y`.
 */
export function dropIndex(mids: readonly number[], from: number, y: number): number {
  return mids.filter((m, i) => i !== from && m < y).length;
}

/**
 * How far a row shifts while another is dragged from `from` to `to`: rows between make room,
 * up (-1) when the dragged row goes down past them, down (+1) when it goes up past them.
 */
export function dragShift(index: number, from: number, to: number): -1 | 0 | 1 {
  if (index === from) return 0;
  if (from < to && index > from && index <= to) return -1;
  if (to < from && index >= to && index < from) return 1;
  return 0;
}

// ---- providers for a target ----

/** What the target picker reads of GET /api/providers. */
export type ProviderChoice = Pick<ProviderSummary, 'id' | 'name' | 'template' | 'environment' | 'enabled' | 'services'>;

/** Providers that fit (same environment, speak the protocol) first; the others apart. */
export function providerGroups(list: readonly ProviderChoice[], environment: string, protocol: string): { fit: ProviderChoice[]; other: ProviderChoice[] } {
  const sorted = [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
  const fits = (p: ProviderChoice) => p.environment === environment && p.services.some((s) => canServe(protocol, s.protocol));
  return { fit: sorted.filter(fits), other: sorted.filter((p) => !fits(p)) };
}

/** Model ids of a catalog template's services that serve `protocol`. */
export function modelsFor(template: { services?: { protocol: string; models?: { id: string }[] }[] } | null | undefined, protocol: string): string[] {
  return [...new Set((template?.services ?? []).filter((s) => canServe(protocol, s.protocol)).flatMap((s) => (s.models ?? []).map((m) => m.id)))];
}

/** The validator's messages by the provider they name, to show them at that target's row. */
export function issuesByProvider(issues: readonly { message: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const i of issues) {
    for (const m of new Set([...i.message.matchAll(/provider "([a-z0-9-]+)"/g)].map((x) => x[1]))) out.set(m, [...(out.get(m) ?? []), i.message]);
  }
  return out;
}

// ---- clients ----

export type ClientToken = ClientTokenView;
export type Client = ClientView;
export interface ClientForm { name: string; description: string; environment: string; enabled: boolean; bindings: string[]; ipAllowlist: string; policy: string }

export function clientFormOf(c: Client | null, environment = 'prod'): ClientForm {
  return {
    name: c?.name ?? '',
    description: c?.description ?? '',
    environment: c?.environment ?? environment,
    enabled: c?.enabled !== false,
    bindings: [...(c?.bindings ?? [])],
    ipAllowlist: (c?.ipAllowlist ?? []).join('\n'),
    policy: c?.policy ?? '',
  };
}

/** The client document to send (tokens are the API's business: never sent). */
export function clientOf(f: ClientForm, original: Client | null = null): Client {
  const { tokens: _tokens, ...rest } = original ?? ({} as Client);
  const out: Json = { ...rest, name: f.name.trim(), environment: f.environment };
  const set = (key: string, value: unknown, keep: boolean) => (keep ? (out[key] = value) : delete out[key]);
  set('description', f.description.trim(), f.description.trim() !== '');
  set('enabled', false, !f.enabled);
  set('bindings', f.bindings, f.bindings.length > 0);
  const cidrs = f.ipAllowlist.split(/[\s,]+/).filter(Boolean);
  set('ipAllowlist', cidrs, cidrs.length > 0);
  set('policy', f.policy, f.policy !== '');
  return out as unknown as Client;
}

export const activeTokens = (c: Client): number => (c.tokens ?? []).filter((t) => t.status === 'active').length;
