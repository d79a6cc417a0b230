// OpenAPI schemas of /api/alerts answers and requests (server/observe/alerts/types.ts;
// docs/alerts.md). api-schemas.ts spreads them into the document's components.
type Schema = Record<string, unknown>;

const str = (description?: string, extra: Schema = {}): Schema => ({ type: 'string', ...(description ? { description } : {}), ...extra });
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
const obj = (properties: Record<string, Schema>, required: string[] = [], description?: string): Schema => ({ type: 'object', ...(description ? { description } : {}), properties, ...(required.length ? { required } : {}) });
const arr = (items: Schema): Schema => ({ type: 'array', items });

const KINDS = ['policy', 'provider-down', 'key-rotation-due', 'key-rotation-overdue', 'key-expiring', 'config-rejected', 'budget', 'channel-failed', 'webhook-disabled', 'shared-state-unavailable', 'remote-sync'];

export function alertSchemas(): Record<string, Schema> {
  const alert = obj({
    id: str('Stable for the same rule and subject (the deduplication key), e.g. provider-down:openai-main. URL-encode it in paths.'),
    kind: str(undefined, { enum: KINDS }),
    severity: str(undefined, { enum: ['info', 'warning', 'critical'] }),
    subject: str('What it is about: a provider, a key (provider/key), a policy and metric, a commit, a channel.'),
    title: str(), detail: str(),
    state: str(undefined, { enum: ['firing', 'resolved'] }),
    firedAt: int('Epoch ms of the latest firing.'), resolvedAt: int('Epoch ms.'), lastSeenAt: int('The last time the condition was seen true, epoch ms.'),
    count: int('How many times it fired since first seen.'),
    acknowledgedAt: int('Epoch ms; cleared when it fires again.'),
    silencedUntil: int('Notifications are held back until then (epoch ms).'),
    channels: arr(str()),
    evidence: { type: 'object', description: 'Figures the alert rests on.', additionalProperties: { type: ['string', 'number'] } },
  }, ['id', 'kind', 'severity', 'subject', 'title', 'detail', 'state', 'firedAt', 'lastSeenAt', 'count', 'channels']);
  const silence = obj({ id: str(), alertId: str('Silences this alert…'), kind: str('…or every alert of this kind.', { enum: KINDS }), until: int('Epoch ms.'), createdAt: int() }, ['id', 'until', 'createdAt']);
  return {
    Alert: alert,
    AlertSilence: silence,
    AlertList: obj({ at: int(), unread: int('Firing and not acknowledged.'), alerts: arr(alert), silences: arr(silence) }, ['at', 'unread', 'alerts', 'silences']),
    AlertUnread: obj({ at: int(), unread: int('Firing and not acknowledged.'), firing: int(), critical: int('Of the unread, how many are critical.') }, ['at', 'unread', 'firing', 'critical']),
    AlertAnswer: obj({ alert }, ['alert']),
    AlertSilenceRequest: obj({
      until: { type: ['integer', 'string'], description: 'When the silence ends: epoch ms or ISO 8601 with a zone; in the future, at most 90 days ahead.' },
      scope: str('alert (default): this alert; kind: every alert of its kind.', { enum: ['alert', 'kind'] }),
    }, ['until']),
    AlertSilenceAnswer: obj({ alert, silence }, ['alert', 'silence']),
  };
}
