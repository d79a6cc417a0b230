// The providers screens' state and pure logic: status derivation, the search index (one
// lowercase string per provider, built once per load), filtering, URL state, the forms generated
// from a template's fields, custom provider definitions and key actions. No DOM, no I/O, so
// it is tested in Node (test/unit/admin/providers.test.ts).

import type { KeyMeta, ProviderStatus, ProviderSummary } from '../../../server/api/admin/answers.ts';

// The API's answers, as the API declares them (type-only: nothing of the server is bundled).
export type { KeyCounts, KeyMeta, KeyStatus, ProviderSummary, ServiceSummary } from '../../../server/api/admin/answers.ts';
export type ApiStatus = ProviderStatus;
/**
 * What the console shows: the health monitor's status (docs/health.md) when the provider is live
 * and its config is sound; `disabled` when switched off; `error` when its config has a problem.
 */
export type UiStatus = 'active' | 'degraded' | 'error' | 'disabled';
export type StatusFilter = UiStatus | 'all';
export const STATUSES: readonly UiStatus[] = ['active', 'degraded', 'error', 'disabled'];

/** What GET /api/health answers per provider (server/observe/health/types.ts). */
export type { ProviderHealth, HealthTransition, ProbeResult } from '../../../server/observe/health/types.ts';
export const VIEWS = ['cards', 'list', 'details'] as const;
export type View = (typeof VIEWS)[number];
export const CATEGORIES = ['AI', 'Cloud', 'Communication', 'Payment', 'Analytics', 'Search', 'Media', 'Maps', 'Custom'] as const;

/** A provider with what filtering needs, computed once per load. */
export interface Indexed {
  p: ProviderSummary;
  status: UiStatus;
  category: string;
  /** Lowercase: name, id, category, template, environment, tags, service ids, names and protocols. */
  hay: string;
}

export interface Filter { query: string; status: StatusFilter; category: string }
export const NO_FILTER: Filter = { query: '', status: 'all', category: '' };

export function uiStatus(p: Pick<ProviderSummary, 'status' | 'enabled' | 'health'>): UiStatus {
  if (p.status === 'disabled' || p.enabled === false) return 'disabled';
  if (p.status === 'error') return 'error';
  return p.health?.status ?? 'active';
}

/** The index with each provider's live health from GET /api/health (the same index when nothing changed). */
export function applyHealth(index: Indexed[], live: readonly { provider: string; status: UiStatus; reason: string; since: number }[]): Indexed[] {
  const byId = new Map(live.map((h) => [h.provider, h]));
  let changed = false;
  const out = index.map((e) => {
    const h = byId.get(e.p.id);
    if (!h || (e.p.health?.status === h.status && e.p.health.reason === h.reason)) return e;
    changed = true;
    const p = { ...e.p, health: { status: h.status, reason: h.reason, since: h.since } };
    return { ...e, p, status: uiStatus(p) };
  });
  return changed ? out : index;
}

/** An uptime share as a percentage for display ("99.95 %"), or null. */
export function uptimeText(share: number | null): string | null {
  if (share === null) return null;
  const pct = share * 100;
  return `${pct === 100 || pct === 0 ? pct.toFixed(0) : pct >= 99 ? pct.toFixed(2) : pct.toFixed(1)} %`;
}

/** The i18n key of a problem the console knows how to say (the API's words are English). */
export function problemKey(text: string): string | null {
  if (/^no active key/.test(text)) return 'providers.problem.noKey';
  if (/^template ".*" is not in the catalog/.test(text)) return 'providers.problem.noTemplate';
  return null;
}

export function searchText(p: ProviderSummary): string {
  const parts = [p.name, p.id, p.category ?? 'custom', p.template ?? '', p.environment, ...(p.tags ?? [])];
  for (const s of p.services) parts.push(s.id, s.name ?? '', s.protocol);
  return parts.join('\u0000').toLowerCase();
}

/** Builds the index, sorted by name (then id) so every view shows a stable order. */
export function indexProviders(list: readonly ProviderSummary[]): Indexed[] {
  return list
    .map((p) => ({ p, status: uiStatus(p), category: p.category ?? 'Custom', hay: searchText(p) }))
    .sort((a, b) => (a.p.name.toLowerCase() < b.p.name.toLowerCase() ? -1 : a.p.name.toLowerCase() > b.p.name.toLowerCase() ? 1 : a.p.id < b.p.id ? -1 : 1));
}

/** Query words: every word must occur (in any field). */
export function queryTokens(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/** One pass over the index: status, category, then each query word as a substring. */
export function filterProviders(index: readonly Indexed[], f: Filter): Indexed[] {
  const words = queryTokens(f.query);
  const out: Indexed[] = [];
  outer: for (const e of index) {
    if (f.status !== 'all' && e.status !== f.status) continue;
    if (f.category && e.category !== f.category) continue;
    for (const w of words) if (!e.hay.includes(w)) continue outer;
    out.push(e);
  }
  return out;
}

export function statusCounts(index: readonly Indexed[]): Record<StatusFilter, number> {
  const c: Record<StatusFilter, number> = { all: index.length, active: 0, degraded: 0, error: 0, disabled: 0 };
  for (const e of index) c[e.status]++;
  return c;
}

/** The categories present, in the catalog's order (unknown ones last, alphabetically). */
export function categoriesOf(index: readonly Indexed[]): string[] {
  const present = new Set(index.map((e) => e.category));
  const known = CATEGORIES.filter((c) => present.has(c));
  const other = [...present].filter((c) => !(CATEGORIES as readonly string[]).includes(c)).sort();
  return [...known, ...other];
}

/** Filter and view from the page's query string (?q=&status=&category=&view=). */
export function parseState(search: string, fallbackView: View = 'cards'): Filter & { view: View } {
  const q = new URLSearchParams(search);
  const status = q.get('status') ?? 'all';
  const view = q.get('view') ?? fallbackView;
  return {
    query: q.get('q') ?? '',
    status: (STATUSES as readonly string[]).includes(status) ? (status as UiStatus) : 'all',
    category: q.get('category') ?? '',
    view: (VIEWS as readonly string[]).includes(view) ? (view as View) : fallbackView,
  };
}

export function stateToSearch(f: Filter, view: View): string {
  const q = new URLSearchParams();
  if (f.query) q.set('q', f.query);
  if (f.status !== 'all') q.set('status', f.status);
  if (f.category) q.set('category', f.category);
  if (view !== 'cards') q.set('view', view);
  const s = q.toString();
  return s ? `?${s}` : '';
}

// ---- forms generated from a template's connection and credential fields ----

export interface FieldSpec {
  title?: string;
  description?: string;
  type?: 'string' | 'integer' | 'number' | 'boolean';
  pattern?: string;
  format?: 'uri' | 'hostname' | 'email';
  enum?: (string | number)[];
  example?: string | number | boolean;
  default?: string | number | boolean;
  optional?: boolean;
  multiline?: boolean;
  docs?: string;
}
export interface FormField { name: string; spec: FieldSpec; secret: boolean; required: boolean }
export type FieldProblem = 'required' | 'pattern' | 'integer' | 'number' | 'enum' | 'format';

export function formFields(specs: Record<string, FieldSpec> | undefined, secret: boolean): FormField[] {
  return Object.entries(specs ?? {}).map(([name, spec]) => ({ name, spec, secret, required: spec.optional !== true && spec.default === undefined }));
}

const FORMATS: Record<string, RegExp> = { uri: /^https?:\/\/\S+$/i, hostname: /^[a-z0-9.-]+$/i, email: /^[^\s@]+@[^\s@]+$/ };

/** What is wrong with a field's raw input, or null. The server validates again on submit. */
export function fieldProblem(f: FormField, raw: string): FieldProblem | null {
  const v = f.spec.multiline ? raw : raw.trim();
  if (v === '') return f.required && f.spec.type !== 'boolean' ? 'required' : null;
  const type = f.spec.type ?? 'string';
  if (type === 'integer' && !/^-?\d+$/.test(v)) return 'integer';
  if (type === 'number' && !Number.isFinite(Number(v))) return 'number';
  if (f.spec.enum && !f.spec.enum.map(String).includes(v)) return 'enum';
  if (f.spec.format && FORMATS[f.spec.format] && !FORMATS[f.spec.format].test(v)) return 'format';
  if (f.spec.pattern) {
    try {
      if (!new RegExp(f.spec.pattern, 'u').test(v)) return 'pattern';
    } catch {
      /* a pattern the browser cannot compile: the server checks it */
    }
  }
  return null;
}

/** Values for the API: empty optional fields left out, numbers and booleans typed. */
export function fieldValues(fields: readonly FormField[], raw: Record<string, string>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const f of fields) {
    const r = raw[f.name] ?? '';
    const v = f.spec.multiline || f.secret ? r : r.trim();
    if (v === '') continue;
    const type = f.spec.type ?? 'string';
    out[f.name] = type === 'integer' || type === 'number' ? Number(v) : type === 'boolean' ? v === 'true' : v;
  }
  return out;
}

export function formProblems(fields: readonly FormField[], raw: Record<string, string>): Record<string, FieldProblem> {
  const out: Record<string, FieldProblem> = {};
  for (const f of fields) {
    const p = fieldProblem(f, raw[f.name] ?? '');
    if (p) out[f.name] = p;
  }
  return out;
}

/** The problems after one field changed: a shown problem is re-checked (and cleared) as the owner types. */
export function recheck(problems: Record<string, FieldProblem>, f: FormField, raw: string): Record<string, FieldProblem> {
  if (!(f.name in problems)) return problems;
  const { [f.name]: _old, ...rest } = problems;
  const now = fieldProblem(f, raw);
  return now ? { ...rest, [f.name]: now } : rest;
}

/** A provider id suggested from a name: lowercase letters, digits and hyphens. */
export function slugify(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
}
export const ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';

// ---- custom providers (no code: the same shape as a catalog template, inline) ----

export const AUTH_TYPES = ['bearer', 'header', 'authorization', 'query', 'basic', 'none'] as const;
export type CustomAuth = (typeof AUTH_TYPES)[number];
export const PROTOCOLS = ['http', 'openai-chat', 'openai-embeddings', 'openai-images', 'openai-audio-transcriptions', 'openai-audio-speech', 'anthropic-messages', 'gemini-generate-content', 'gemini-embed-content', 'cohere-chat', 'cohere-embed', 'cohere-rerank', 'bedrock-converse', 'bedrock-invoke'] as const;

export interface CustomInput {
  id: string;
  name: string;
  category: string;
  environment: string;
  baseUrl: string;
  auth: CustomAuth;
  /** header: the header name; query: the parameter; authorization: the scheme word. */
  authName: string;
  /** header: a prefix before the secret ("Token "). */
  authPrefix: string;
  services: { id: string; protocol: string; path: string }[];
  healthPath: string;
  healthStatus: string;
}

export function customProvider(i: CustomInput): Record<string, unknown> {
  const secret = '${secret.token}';
  const credentials: Record<string, FieldSpec> = i.auth === 'none' ? {} : i.auth === 'basic' ? { username: { title: 'Username' }, password: { title: 'Password' } } : { token: { title: 'Token' } };
  const auth: Record<string, unknown> =
    i.auth === 'bearer' ? { type: 'bearer', token: secret }
      : i.auth === 'header' ? { type: 'header', headers: { [i.authName.trim() || 'X-Api-Key']: `${i.authPrefix}${secret}` } }
        : i.auth === 'authorization' ? { type: 'authorization', scheme: i.authName.trim() || 'Token', credentials: secret }
          : i.auth === 'query' ? { type: 'query', params: { [i.authName.trim() || 'api_key']: secret } }
            : i.auth === 'basic' ? { type: 'basic', username: '${secret.username}', password: '${secret.password}' }
              : { type: 'none' };
  const codes = i.healthStatus.split(/[\s,]+/).filter(Boolean).map(Number);
  const definition: Record<string, unknown> = {
    name: i.name.trim(),
    category: i.category,
    baseUrl: i.baseUrl.trim(),
    ...(Object.keys(credentials).length ? { credentials } : {}),
    auth,
    services: i.services.map((s) => ({ id: s.id.trim(), protocol: s.protocol, ...(s.path.trim() ? { path: s.path.trim() } : {}) })),
    healthCheck: i.healthPath.trim()
      ? { kind: 'request', method: 'GET', path: i.healthPath.trim(), ...(codes.length ? { expect: { status: codes } } : {}) }
      : { kind: 'passive' },
  };
  return { id: i.id.trim(), environment: i.environment, definition };
}

// ---- keys ----

export type KeyAction = 'rotate' | 'default' | 'activate' | 'suspend' | 'revoke' | 'delete';

/** The lifecycle operations the vault accepts for a key in its state. */
export function keyActions(k: Pick<KeyMeta, 'status' | 'default'>): KeyAction[] {
  const a: KeyAction[] = [];
  if (k.status !== 'revoked') a.push('rotate');
  if (k.status === 'active' && !k.default) a.push('default');
  if (k.status === 'staged' || k.status === 'suspended' || k.status === 'retiring') a.push('activate');
  if (k.status !== 'revoked' && k.status !== 'suspended') a.push('suspend');
  if (k.status !== 'revoked') a.push('revoke');
  if (k.status === 'revoked') a.push('delete');
  return a;
}

/** overdue, soon (within 14 days) or ok; null when the key is not active. */
export function rotationState(k: Pick<KeyMeta, 'rotationDueInDays'>): 'overdue' | 'soon' | 'ok' | null {
  const d = k.rotationDueInDays;
  if (d === undefined) return null;
  return d < 0 ? 'overdue' : d <= 14 ? 'soon' : 'ok';
}

/** A key secret for the API: a string when the provider has one credential field, else an object. */
export function secretBody(fields: readonly FormField[], raw: Record<string, string>): string | Record<string, string> {
  const values = fieldValues(fields, raw) as Record<string, string>;
  return fields.length === 1 ? values[fields[0].name] ?? '' : values;
}

/** The date part of an ISO timestamp (the console shows dates, not times). */
export const day = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : '');
