// One inbound webhook, start to verdict: find the provider and its scheme, gather the candidate
// secrets from its keys, verify, refuse a replay, then remember, record, audit and fan out as
// `provider.webhook`. Refusals throw the catalog's SIL_HOOK_* errors (and are recorded too).
import { SilError, type ErrorCode } from '../errors.ts';
import type { ConfigSnapshot, CompiledProvider } from '../config/snapshot.ts';
import { render } from '../core/template-string.ts';
import { withDerived } from '../config/derived-connection.ts';
import type { AuditEvent } from '../observe/audit-event.ts';
import type { SchemeName } from './schemes/index.ts';
import type { InboundRequest, Refusal, SchemeVerifier } from './types.ts';
import { DEFAULT_TOLERANCE_SECONDS } from './types.ts';
import { ReplayMemory } from './replay-memory.ts';
import type { RecentHooks } from './recent-hooks.ts';
import { locate, parsePayload } from './event-fields.ts';
import type { SharedReplay } from '../cluster/shared-replay.ts';

/** How long a delivery of a scheme without a signed timestamp is remembered. */
export const UNTIMED_REPLAY_MS = 24 * 3_600_000;
/** Kept past the tolerance window, for clock drift between the provider and the hub. */
const MARGIN_MS = 60_000;

export interface ReceiverDeps {
  snapshot: () => ConfigSnapshot | null;
  schemes: Record<SchemeName, SchemeVerifier>;
  replay: ReplayMemory;
  /** Several instances: the claim in Redis (server/cluster/shared-replay.ts); null answers fall back to `replay`. */
  shared?: SharedReplay;
  recent: RecentHooks;
  now: () => number;
  /** Emits provider.webhook on the hub's bus; answers the event's id. */
  emit: (data: Record<string, unknown>, environment: string) => string;
  audit: (event: AuditEvent) => void;
}

export interface Accepted { provider: string; eventId?: string; eventType?: string; publish: () => void }

const CODES: Record<Refusal, ErrorCode> = { signature: 'SIL_HOOK_SIGNATURE', stale: 'SIL_HOOK_STALE', 'not-configured': 'SIL_HOOK_NOT_CONFIGURED' };

function renderFor(provider: CompiledProvider, text: string | undefined, secret: Readonly<Record<string, string>> = {}): string | undefined {
  if (!text) return undefined;
  try {
    const out = render(text, { connection: withDerived(provider.connection, provider.derived, secret), secret });
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}

/** The scheme's secret as each non-revoked key holds it: the default key first. */
export function candidateSecrets(snapshot: ConfigSnapshot, provider: CompiledProvider, text: string | undefined): string[] {
  const ring = snapshot.keyrings.get(provider.id);
  if (!text || !ring) return [];
  const ordered = [...ring.keys].sort((a, b) => Number(b.default === true) - Number(a.default === true));
  const out: string[] = [];
  for (const k of ordered) {
    const values = ring.secretOf(k.id);
    const s = values ? renderFor(provider, text, values) : undefined;
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

const ids = (eventType: string | undefined, eventId: string | undefined) => ({ ...(eventType ? { eventType } : {}), ...(eventId ? { eventId } : {}) });

export function createReceiver(deps: ReceiverDeps) {
  return async function receive(providerId: string, req: InboundRequest, ip?: string): Promise<Accepted> {
    const snapshot = deps.snapshot();
    const provider = snapshot?.providers.get(providerId);
    const spec = provider?.definition.webhookSignature;
    if (!snapshot || !provider || !spec) throw new SilError('SIL_HOOK_UNKNOWN', `no provider "${providerId.slice(0, 64)}" with a webhook signature scheme`);
    const scheme = spec.scheme ?? 'hmac';
    const now = deps.now();
    const refused = (code: ErrorCode, reason: string, extra: { eventType?: string; eventId?: string } = {}): never => {
      deps.recent.add({ at: now, provider: provider.id, scheme, verdict: 'refused', code, reason, environment: provider.environment, ...extra });
      throw new SilError(code, reason);
    };
    const verdict = await deps.schemes[scheme]({
      req,
      spec,
      secrets: candidateSecrets(snapshot, provider, spec.secret),
      publicKey: renderFor(provider, spec.publicKey),
      webhookId: renderFor(provider, spec.webhookId),
      now,
    });
    if (!verdict.ok) return refused(CODES[verdict.refusal], verdict.message);

    const payload = parsePayload(req);
    const eventType = locate(spec.eventType, req, payload);
    const eventId = locate(spec.eventId, req, payload);
    const key = ReplayMemory.keyOf(provider.id, eventId ? `id:${eventType ?? ''}:${eventId}` : `sig:${verdict.digest}`);
    if (deps.replay.has(key, now)) return refused('SIL_HOOK_REPLAY', eventId ? `event ${eventId} was already accepted` : 'this delivery was already accepted', ids(eventType, eventId));
    const tolerance = (spec.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) * 1000;
    const until = Math.max(verdict.timestamp !== undefined ? verdict.timestamp * 1000 + tolerance + MARGIN_MS : now + UNTIMED_REPLAY_MS, now + MARGIN_MS);
    // Remembered here first, so that a concurrent copy on this instance is refused while Redis answers.
    deps.replay.remember(key, until, now);
    if ((await deps.shared?.claim(key, until, now)) === false) {
      return refused('SIL_HOOK_REPLAY', eventId ? `event ${eventId} was already accepted` : 'this delivery was already accepted', ids(eventType, eventId));
    }

    const known = ids(eventType, eventId);
    return {
      provider: provider.id,
      ...known,
      publish: () => {
        const hubEventId = deps.emit({ provider: provider.id, scheme, eventType: eventType ?? null, eventId: eventId ?? null, receivedAt: now, payload: payload ?? null }, provider.environment);
        deps.recent.add({ at: now, provider: provider.id, scheme, verdict: 'accepted', environment: provider.environment, hubEventId, ...known });
        deps.audit({ type: 'hook.accepted', actor: 'anonymous', ...(ip ? { ip } : {}), detail: { provider: provider.id, scheme, hubEvent: hubEventId, ...known } });
      },
    };
  };
}
