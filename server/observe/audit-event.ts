// What may go into the runtime audit log: the event types, the event shape, and the checks that
// keep secrets out of it. Pure, no I/O.
//
// An event is typed (`type` from AUDIT_EVENT_TYPES, `actor` of a fixed form) and its `detail` is a
// flat map of short scalars. sanitizeEvent() refuses (throws SIL_AUDIT_EVENT) what can only be a
// programming mistake: an unknown type, a malformed actor, a nested or non-finite detail value, a
// detail key that names a secret (password, token, secret, ...). It cleans what may slip in by
// accident: any substring of a string value that looks like a credential (`sil_...` client
// tokens, `sk-...` keys, Stripe, GitHub, Slack, Google keys, `whsec_` secrets, age identities,
// JWTs, `Bearer ...`) becomes `[redacted]`, strings are cut at MAX_VALUE_LENGTH characters, and an
// `ip` that is not an address (it comes from the network) is kept cleaned and quoted.
import { SilError } from '../errors.ts';

export const AUDIT_EVENT_TYPES = [
  'hub.started',
  'setup.started',
  'setup.completed',
  'setup.failed',
  'login.succeeded',
  'login.failed',
  'login.locked',
  'logout',
  'session.expired',
  'password.changed',
  'owner.reset',
  'access.denied',
  'token.denied',
  'key.reveal.refused',
  'proxy.failover',
  'limit.budget-alert',
  'hook.accepted',
  'config.loaded',
  'config.rejected',
  'audit.anchor.mismatch',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Who acted: the owner, a proxy client, the hub itself, or someone not (yet) authenticated. */
export type AuditActor = 'owner' | 'system' | 'anonymous' | `client:${string}`;

export type AuditDetailValue = string | number | boolean;

export interface AuditEvent {
  type: AuditEventType;
  actor: AuditActor;
  /** The caller's address (after trusted-proxy resolution), when there is a caller. */
  ip?: string;
  detail?: Readonly<Record<string, AuditDetailValue>>;
}

export const MAX_VALUE_LENGTH = 500;
export const MAX_DETAIL_KEYS = 24;
export const REDACTED = '[redacted]';

const TYPES: ReadonlySet<string> = new Set(AUDIT_EVENT_TYPES);
const ACTOR = /^(?:owner|system|anonymous|client:[a-z0-9][a-z0-9-]{0,62})$/;
const DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const IP = /^[0-9A-Fa-f:.%a-z-]{2,64}$/;
/** Detail keys that can only hold a secret. `keyId`, `tokenId`, `tokenHint` stay allowed. */
const SECRET_KEY = /^(?:password|passwd|passphrase|secret|token|apikey|api_key|api-key|authorization|cookie|totp|otp|privatekey|private_key)$/i;

const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsil_[0-9A-Za-z]{8,}/g, // sil client tokens
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI, Anthropic and alike
  /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{8,}/g, // Stripe
  /\bwhsec_[A-Za-z0-9+/=]{8,}/g, // Standard Webhooks secrets
  /AGE-SECRET-KEY-1[0-9A-Z]{8,}/gi, // age identities
  /\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})/g, // GitHub
  /\bxox[abprs]-[A-Za-z0-9-]{8,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{20,}/g, // Google API keys
  /\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g, // JWTs
  /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, // Authorization header values
];

const refuse = (message: string) => new SilError('SIL_AUDIT_EVENT', `audit event refused: ${message}`);

/** The string with every credential-looking substring replaced by `[redacted]`. */
export function redactSecrets(value: string): string {
  let out = value;
  for (const p of SECRET_PATTERNS) out = out.replace(p, REDACTED);
  return out;
}

/** Redacted, then cut to MAX_VALUE_LENGTH characters (with a trailing `…` when cut). */
export function cleanString(value: string): string {
  const redacted = redactSecrets(value);
  return redacted.length > MAX_VALUE_LENGTH ? `${redacted.slice(0, MAX_VALUE_LENGTH - 1)}…` : redacted;
}

export function isAuditEventType(value: unknown): value is AuditEventType {
  return typeof value === 'string' && TYPES.has(value);
}

/** The event as it is written: checked, redacted, truncated, detail keys sorted. */
export function sanitizeEvent(event: AuditEvent): AuditEvent & { detail: Record<string, AuditDetailValue> } {
  if (!event || typeof event !== 'object') throw refuse('not an object');
  if (!isAuditEventType(event.type)) throw refuse(`unknown type "${String(event.type).slice(0, 64)}" (see AUDIT_EVENT_TYPES)`);
  if (typeof event.actor !== 'string' || !ACTOR.test(event.actor)) throw refuse(`actor must be owner, system, anonymous or client:<name>, not "${String(event.actor).slice(0, 80)}"`);
  if (event.ip !== undefined && typeof event.ip !== 'string') throw refuse('ip must be a string');
  // Addresses come from the network: an odd one is kept (cleaned, quoted), not refused.
  const ip = !event.ip ? undefined : IP.test(event.ip) ? event.ip : JSON.stringify(cleanString(event.ip).slice(0, 64));
  const detail: Record<string, AuditDetailValue> = {};
  const entries = Object.entries(event.detail ?? {});
  if (entries.length > MAX_DETAIL_KEYS) throw refuse(`detail has ${entries.length} keys; at most ${MAX_DETAIL_KEYS}`);
  for (const [key, value] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!DETAIL_KEY.test(key)) throw refuse(`detail key "${key.slice(0, 80)}" is not a plain name`);
    if (SECRET_KEY.test(key)) throw refuse(`detail key "${key}" names a secret; the audit log never holds secrets`);
    if (typeof value === 'string') detail[key] = cleanString(value);
    else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) detail[key] = value;
    else throw refuse(`detail.${key} must be a string, a finite number or a boolean`);
  }
  return { type: event.type, actor: event.actor, ...(ip === undefined ? {} : { ip }), detail };
}
