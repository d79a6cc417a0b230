// JSON Schemas of the admin API's own shapes (requests, answers, errors). The config documents
// inside them refer to the config schemas of schemas/, which openapi.ts adds as components.
import { readSchema } from '../../config/schemas.ts';
import { alertSchemas } from './alert-schemas.ts';
import { remoteSchemas } from '../../remote/remote-schemas.ts';
import { RECOMMENDATION_ACTION_IDS, RECOMMENDATION_TEXT_IDS } from '../../observe/analytics/types.ts';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string, extra: Schema = {}): Schema => ({ type: 'string', ...(description ? { description } : {}), ...extra });
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
const bool = (description?: string): Schema => ({ type: 'boolean', ...(description ? { description } : {}) });
const arr = (items: Schema): Schema => ({ type: 'array', items });
const obj = (properties: Record<string, Schema>, required: string[] = [], description?: string): Schema => ({
  type: 'object',
  ...(description ? { description } : {}),
  properties,
  ...(required.length ? { required } : {}),
});

const ID = '^[a-z0-9][a-z0-9-]{0,62}$';
const commit = str('A commit of the config repository: send it back as `base` with a change.', { pattern: '^[0-9a-f]{40}([0-9a-f]{24})?$' });
const base = str('The commit the change is based on (the `commit` of the GET answer edited). Instead of this field, an If-Match header or `?base=` may carry it; one of them is required.', { pattern: '^[0-9a-f]{40}([0-9a-f]{24})?$' });
const patchOf = (what: string) => ({ type: 'object', description: `A JSON merge patch (RFC 7396) of the ${what}: fields given replace, objects merge, null removes.` });

/** Request/answer schemas for a resource stored as named files (bindings, policies, clients). */
function namedResource(title: string, field: string, plural: string, doc: string, view = doc): Record<string, Schema> {
  return {
    [`${title}List`]: obj({ commit, [plural]: arr(ref(view)) }, ['commit', plural]),
    [`${title}Detail`]: obj({ commit, path: str('The file in the config repository.'), [field]: ref(view) }, ['commit', 'path', field]),
    [`${title}WriteRequest`]: obj({ base, [field]: ref(doc) }, [field]),
    [`${title}PatchRequest`]: obj({ base, [field]: patchOf(field) }, [field]),
  };
}

function clientView(): Schema {
  const client = readSchema('client.schema.json') as { properties: Record<string, Schema>; required?: string[] };
  return { type: 'object', description: 'A client as answers show it: its tokens without their hashes.', properties: { ...client.properties, tokens: arr(ref('TokenMeta')) }, required: client.required ?? [] };
}

const issue = obj({ file: str(), line: int(), column: int(), message: str(), code: str(), hint: str() }, ['file', 'line', 'column', 'message', 'code', 'hint']);

/** History and bundle answers (history-routes.ts, bundle-routes.ts). */
function historySchemas(): Record<string, Schema> {
  const person = obj({ name: str(), email: str(), date: str() });
  const file = obj({ path: str(), change: str('A (added), M (changed) or D (removed), or added/changed/removed.') });
  const commitSummary = obj({ id: commit, parents: arr(str()), author: person, committer: person, message: str(), subject: str(), signature: obj({ status: str('good, unsigned, bad, unknown-signer or unknown.'), signer: str() }), files: arr(file) }, ['id']);
  return {
    HistoryList: obj({ branch: str(), head: { type: ['string', 'null'] }, commits: arr(commitSummary), next: { type: ['string', 'null'], description: 'Send as `before` for the next page.' } }, ['commits']),
    HistoryCommit: { ...commitSummary, description: 'A commit with a unified diff per file (`files[].diff`); lines of secrets files other than metadata and ciphertext are masked.' },
    RevertResult: obj({ commit, parent: str(), reverted: str(), subject: str(), files: arr(file) }, ['commit']),
    Bundle: obj({ sil: int('Bundle format version (1).'), exportedAt: str(), commit: str(), files: { type: 'object', description: 'Path → file text.', additionalProperties: { type: 'string' } } }, ['files'], 'A config bundle; import takes it as YAML or JSON.'),
    ImportPreview: obj({ base: str(), head: str(), mode: str(), valid: bool(), summary: { type: 'object' }, files: arr(file), errors: arr(ref('Issue')), warnings: arr(str()) }, ['valid', 'files', 'errors']),
    AuditPage: obj({ entries: arr(obj({ seq: int(), at: str(), type: str(), actor: str(), ip: str(), detail: { type: 'object' }, prev: str(), hash: str() }, ['seq', 'at', 'type', 'actor', 'hash'])), next: { type: ['integer', 'null'] } }, ['entries', 'next']),
    AuditVerify: obj({ ok: bool(), entries: int(), files: arr(str()), broken: obj({ file: str(), line: int(), seq: int(), problem: str(), message: str() }) }, ['ok', 'entries', 'files']),
    ImportResult: obj({ commit, parent: str(), changed: bool(), mode: str(), files: arr(file), warnings: arr(str()) }, ['commit', 'changed']),
  };
}

/** /api/health answers (server/observe/health/types.ts; docs/health.md). */
function healthSchemas(): Record<string, Schema> {
  const status = str('active, degraded, error or disabled.', { enum: ['active', 'degraded', 'error', 'disabled'] });
  const probe = obj({ at: int('Epoch ms.'), ok: bool(), status: int('The provider\'s HTTP status, when it answered.'), ms: { type: 'number' }, error: str('Why it failed (never a key or a URL).') }, ['at', 'ok', 'ms']);
  const share = { type: ['number', 'null'], description: 'Share of the window (0..1) the provider was active or degraded; null without history.' };
  const health = obj({
    provider: str(), environment: str(), status, since: int('Epoch ms.'), reason: str(), lastProbe: probe,
    traffic: obj({ requests: int(), errors: int(), windowMs: int() }, ['requests', 'errors', 'windowMs']),
    circuit: str('closed, half-open or open.'),
    keys: arr(obj({ keyId: str(), status, lastProbe: probe }, ['keyId', 'status'])),
    uptime: obj({ '24h': share, '7d': share, '30d': share }, ['24h', '7d', '30d']),
  }, ['provider', 'environment', 'status', 'since', 'reason', 'traffic', 'circuit', 'keys', 'uptime']);
  const transition = obj({ provider: str(), at: int(), from: { oneOf: [{ type: 'null' }, status] }, to: status, reason: str() }, ['provider', 'at', 'from', 'to', 'reason']);
  return {
    HealthList: obj({ at: int(), providers: arr(health) }, ['at', 'providers']),
    HealthDetail: obj({ at: int(), health, transitions: arr(transition), probes: arr(probe) }, ['at', 'health', 'transitions', 'probes']),
  };
}

/** /api/webhooks answers (server/webhooks/; docs/webhooks.md). */
function webhookSchemas(): Record<string, Schema> {
  const state = obj({ disabledByHub: bool(), disabledAt: str(), disabledReason: str(), failingSince: str(), consecutiveFailures: int(), lastSuccessAt: str() }, ['disabledByHub'], 'What the hub knows of the endpoint (data/state/webhooks/endpoints.json).');
  const signing = obj({ keys: arr(obj({ id: str(), status: str(), created: str(), retireAt: str('A rotated secret signs until then.'), fingerprint: str() }, ['id', 'status'])) }, ['keys'], 'The signing secrets in the vault (metadata only).');
  const view = { allOf: [ref('WebhookSubscription')], properties: { state, signing } };
  const summary = obj({
    id: str('dlv_...: this delivery.'), webhookId: str('The webhook-id header (the event id), the same for every attempt and replay.'), webhook: str(), type: str(),
    state: str('pending, delivered or failed.', { enum: ['pending', 'delivered', 'failed'] }), createdAt: str(), attempts: int(), lastStatus: { type: ['integer', 'null'] }, lastMs: int('The last attempt\'s duration in ms; absent before the first attempt.'), lastError: str(),
    nextAt: { type: ['string', 'null'] }, reason: str(), replayOf: str(),
  }, ['id', 'webhookId', 'webhook', 'type', 'state', 'createdAt', 'attempts', 'lastStatus', 'nextAt']);
  const attempt = obj({ at: str(), status: { type: ['integer', 'null'] }, ms: int(), error: str(), response: str('The start of the answer, at most 1 KB.') }, ['at', 'status', 'ms']);
  return {
    WebhookList: obj({ commit, webhooks: arr(view) }, ['commit', 'webhooks']),
    WebhookDetail: obj({ commit, path: str(), webhook: view }, ['commit', 'path', 'webhook']),
    WebhookWriteRequest: obj({ base, webhook: ref('WebhookSubscription') }, ['webhook']),
    WebhookPatchRequest: obj({ base, webhook: patchOf('webhook') }, ['webhook']),
    WebhookRotateRequest: obj({ base, graceHours: int('Hours the old secret keeps signing (0-720, default 24).') }),
    WebhookSecretResult: { allOf: [ref('WriteResult')], properties: { secret: str('whsec_...: shown in this answer only.'), graceHours: int() }, required: ['secret'] },
    WebhookEnableResult: obj({ name: str(), state }, ['name', 'state']),
    WebhookDeliveryList: obj({ webhook: str(), deliveries: arr(summary), total: int() }, ['webhook', 'deliveries', 'total']),
    WebhookDeliveryDetail: obj({ delivery: { allOf: [summary], properties: { body: str('The JSON body as sent and signed.'), attemptLog: arr(attempt) } } }, ['delivery']),
    WebhookReplayResult: obj({ delivery: summary }, ['delivery']),
  };
}

/** /api/analytics answers (server/observe/analytics/types.ts; docs/analytics.md). */
function analyticsSchemas(): Record<string, Schema> {
  const num = (description?: string): Schema => ({ type: 'number', ...(description ? { description } : {}) });
  const numOrNull = (description?: string): Schema => ({ type: ['number', 'null'], ...(description ? { description } : {}) });
  const summaryProps: Record<string, Schema> = {
    requests: int(), ok: int('Answers with status < 400.'), errors: int('requests − ok.'), limited: int('Refused by a policy limit (SIL_LIMIT_*).'),
    successRate: numOrNull('ok / requests, 0..1; null without requests.'), p50Ms: numOrNull(), p95Ms: numOrNull(), p99Ms: numOrNull(), avgLatencyMs: numOrNull(),
    attempts: int(), failovers: int(), inputTokens: int(), outputTokens: int(), cost: num('In `currency`.'),
    score: numOrNull('Average caller score 0..1 (POST /v1/feedback); null without feedback.'), scoreCount: int(),
  };
  const summaryRequired = Object.keys(summaryProps);
  const windowProps: Record<string, Schema> = {
    period: { type: 'string', enum: ['1h', '24h', '7d', '30d', 'custom'] },
    from: int('Start, epoch ms (aligned to the step).'), to: int('End (exclusive), epoch ms.'),
    step: { type: 'string', enum: ['minute', 'hour', 'day'], description: 'The rollup the figures come from.' }, stepMs: int('Width of one point of a series.'),
    timeZone: str('Day steps start at midnight in this zone.'), currency: str('The currency of every `cost`.'),
    filter: obj({ binding: str(), provider: str(), client: str(), model: str() }),
  };
  const windowRequired = Object.keys(windowProps);
  const windowed = (props: Record<string, Schema>, required: string[], description: string): Schema => obj({ ...windowProps, ...props }, [...windowRequired, ...required], description);
  const nums = arr({ type: 'number' });
  const nullableNums = arr({ type: ['number', 'null'] });
  const others = arr(obj({ currency: str(), cost: num() }, ['currency', 'cost']));
  const breakdownRow = obj({ key: str('The value (`provider/keyId` for keys; empty where unknown).'), label: str(), ...summaryProps }, ['key', 'label', ...summaryRequired]);
  return {
    AnalyticsSummary: obj(summaryProps, summaryRequired),
    AnalyticsOverview: windowed({
      totals: ref('AnalyticsSummary'),
      series: obj({ t: nums, requests: nums, errors: nums, successRate: nullableNums, p50Ms: nullableNums, p95Ms: nullableNums, p99Ms: nullableNums, inputTokens: nums, outputTokens: nums, cost: nums }, ['t', 'requests', 'errors', 'successRate', 'p50Ms', 'p95Ms', 'p99Ms', 'inputTokens', 'outputTokens', 'cost'], 'One point per step: `t` its start; null where a figure needs requests.'),
      otherCurrencies: others,
    }, ['totals', 'series', 'otherCurrencies'], 'Totals and series of the period; costs in other currencies are listed apart, never added up.'),
    AnalyticsBreakdown: windowed({ by: { type: 'string', enum: ['provider', 'binding', 'client', 'model', 'key'] }, rows: arr(breakdownRow) }, ['by', 'rows'], 'The figures per value of one dimension, most requests first.'),
    AnalyticsCompare: windowed({
      binding: str(),
      targets: arr(obj({
        provider: str(), model: str(), order: { type: ['integer', 'null'], description: 'Place in the binding\'s order; null when no longer a target.' }, ...summaryProps,
        costPerRequest: numOrNull(), quality: numOrNull('Success rate blended with the caller score (docs/analytics.md), 0..1.'),
      }, ['provider', 'model', 'order', ...summaryRequired, 'costPerRequest', 'quality'])),
    }, ['binding', 'targets'], 'A binding\'s targets in their order, then providers that served it but are no longer targets.'),
    AnalyticsRecommendations: windowed({
      items: arr(obj({
        id: str('Stable for the same finding.'),
        kind: { type: 'string', enum: ['cheaper-target', 'slow-target', 'no-backup', 'key-quota', 'budget-burn', 'key-rotation'] },
        severity: { type: 'string', enum: ['info', 'warning', 'critical'] },
        title: str('In English.'), detail: str('In English.'),
        text: obj({
          id: { type: 'string', enum: [...RECOMMENDATION_TEXT_IDS], description: 'The sentence form of title and detail (one per variant), to write them in another language.' },
          params: { type: 'object', additionalProperties: { type: ['string', 'number'] }, description: 'Its raw values: names, numbers, shares 0..1, times in epoch ms (with timeZone), amounts with currency.' },
        }, ['id', 'params'], 'title and detail in a machine-readable form (docs/analytics.md).'),
        evidence: { type: 'object', additionalProperties: { type: ['string', 'number'] }, description: 'The figures the finding rests on, by stable id; an id that is also in text.params has its raw value there.' },
        action: obj({ id: { type: 'string', enum: [...RECOMMENDATION_ACTION_IDS], description: 'The label\'s form (its values in text.params).' }, label: str('In English.'), href: str('A console path.') }, ['id', 'label', 'href']),
      }, ['id', 'kind', 'severity', 'title', 'detail', 'text', 'evidence', 'action'])),
    }, ['items'], 'Findings, most severe first.'),
    AnalyticsReport: {
      allOf: [ref('AnalyticsOverview')],
      type: 'object',
      properties: { generatedAt: int(), breakdowns: obj(Object.fromEntries(['provider', 'binding', 'client', 'model', 'key'].map((k) => [k, arr(breakdownRow)]))) },
      required: ['generatedAt', 'breakdowns'],
      description: 'format=json (a file, Content-Disposition attachment). format=csv answers text/csv instead: a header row, then a row for the totals and one per value of each dimension (dimension, key, label, the figures, currency, from, to); text cells starting with = + - @ are prefixed with \'.',
    },
  };
}

/** GET /api/limits (server/limits/limit-status.ts; docs/limits.md). */
function limitsSchema(): Schema {
  const num = (description?: string): Schema => ({ type: 'number', ...(description ? { description } : {}) });
  const kind = { type: 'string', enum: ['rate', 'quota.requests', 'quota.tokens', 'budget'] };
  return obj({
    at: int('When these figures were read, epoch ms.'),
    limits: arr(obj({
      policy: str(),
      attachedTo: obj({ kind: { type: 'string', enum: ['client', 'binding', 'provider'] }, name: str('For client-binding counters both names, client/binding.') }, ['kind', 'name']),
      scope: str('The counter: client:<name>, binding:<name>, client-binding:<client>/<binding> or provider:<id>.'),
      limit: kind,
      used: num('Requests, tokens (reserved included) or cost spent in this period.'),
      max: num(),
      currency: str('Budgets: the currency of used and max.'),
      periodStart: int('Epoch ms (rate: the last admitted request).'),
      resetsAt: int('Epoch ms: the period ends (rate: the bucket is empty again).'),
      onExceeded: { type: 'string', enum: ['alert', 'block'] },
    }, ['policy', 'attachedTo', 'scope', 'limit', 'used', 'max', 'periodStart', 'resetsAt'])),
    rejections: arr(obj({ policy: str(), limit: kind, count: int() }, ['policy', 'limit', 'count'], 'Requests refused since the hub started.')),
    alerts: arr(obj({ policy: str(), scope: str(), percent: int(), spent: num(), amount: num(), currency: str(), periodStart: int(), at: int() }, ['policy', 'scope', 'percent', 'spent', 'amount', 'currency', 'periodStart', 'at'], 'A budget mark (alertAtPercent) crossed.')),
  }, ['at', 'limits', 'rejections', 'alerts']);
}

export function apiSchemas(): Record<string, Schema> {
  return {
    Error: obj({
      error: obj({
        code: str('A stable code from the error catalog (docs/errors.md).'),
        message: str(),
        hint: str('What to do about it.'),
        details: { type: 'object', description: 'SIL_GIT_CONFLICT: {base, head, files}; SIL_CONFIG_INVALID: {issues: Issue[]}.' },
      }, ['code', 'message', 'hint']),
    }, ['error']),
    Issue: issue,
    ...historySchemas(),
    ...analyticsSchemas(),
    ...webhookSchemas(),
    ...remoteSchemas(),
    BaseRequest: obj({ base }),
    WriteResult: obj({
      commit: str('The new commit (the base, when `unchanged`).'),
      live: bool('Whether the commit is live already.'),
      unchanged: bool('The change was in place already: nothing was written.'),
      warnings: arr(str()),
      path: str('The file a creation wrote.'),
    }, ['commit', 'live']),

    TemplateSummary: obj({
      id: str(), name: str(), category: str(), description: str(), docs: str(), auth: str('The auth scheme type.'),
      connection: arr(obj({ name: str(), title: str(), optional: bool() })),
      credentials: arr(obj({ name: str(), title: str(), optional: bool() })),
      services: arr(obj({ id: str(), name: str(), protocol: str() })),
      rotation: bool('The template has a key rotation recipe.'),
    }, ['id', 'name', 'category', 'auth', 'services']),
    CatalogList: obj({ templates: arr(ref('TemplateSummary')) }, ['templates']),
    CatalogTemplate: obj({ template: ref('ProviderTemplate'), summary: ref('TemplateSummary') }, ['template', 'summary']),

    KeyCounts: obj({ total: int(), active: int(), default: { type: ['string', 'null'] } }, ['total', 'active', 'default']),
    ProviderSummary: obj({
      id: str(), name: str(), description: str(), category: { type: ['string', 'null'] }, template: { type: ['string', 'null'] },
      environment: str(), enabled: bool(),
      status: { type: 'string', enum: ['enabled', 'disabled', 'error'] },
      problems: arr(str()),
      services: arr(obj({ id: str(), name: str(), protocol: str(), enabled: bool() }, ['id', 'protocol', 'enabled'])),
      keys: ref('KeyCounts'),
      tags: arr(str()),
      policy: str(),
      health: obj({ status: str('The health monitor\'s status: active, degraded, error or disabled (docs/health.md).', { enum: ['active', 'degraded', 'error', 'disabled'] }), reason: str(), since: int('Epoch ms.') }, ['status', 'reason', 'since'], 'Live health of the provider at the live commit; absent when it is not live.'),
    }, ['id', 'name', 'environment', 'enabled', 'status', 'problems', 'services', 'keys']),
    ProviderList: obj({ commit, providers: arr(ref('ProviderSummary')) }, ['commit', 'providers']),
    ProviderDetail: obj({ commit, path: str(), provider: ref('ProviderInstance'), summary: ref('ProviderSummary') }, ['commit', 'path', 'provider', 'summary']),
    ProviderAddRequest: obj({ base, provider: { ...ref('ProviderInstance'), description: 'The provider file: `id`, `template` (a catalog id) or `definition` (a custom provider), `environment`, `connection`, `services`... `name` defaults to the template\'s name, `enabled` to true.' } }, ['provider']),
    ProviderPatchRequest: obj({ base, provider: patchOf('provider file') }, ['provider']),
    ServiceSwitchRequest: obj({ base, enabled: bool() }, ['enabled']),

    KeyMeta: obj({
      id: str(), label: str(), status: { type: 'string', enum: ['active', 'staged', 'suspended', 'retiring', 'revoked'] }, default: bool(),
      created: str(), updated: str(), rotated: str(), expires: str(), retireAt: str(), revokedAt: str(), replaces: str(), providerKeyId: str(),
      fingerprint: str('sha256: and the start of the hash of the secret, then ... and its last 4 characters.'),
      mask: str('•••• and the last 4 characters of the main credential.'),
      rotationDueInDays: int('Active keys: days until rotation is due (negative when overdue).'),
    }, ['id', 'status', 'default', 'created', 'fingerprint', 'mask']),
    KeyList: obj({ commit, provider: str(), keys: arr(ref('KeyMeta')) }, ['commit', 'provider', 'keys']),
    Secret: { description: 'The credential: a string for single-credential providers, or an object naming each credential field. Stored encrypted, never returned.', oneOf: [{ type: 'string', minLength: 1 }, { type: 'object', additionalProperties: { type: 'string' } }] },
    KeyAddRequest: obj({ base, secret: ref('Secret'), id: str(undefined, { pattern: ID }), label: str(), staged: bool('Stored but not used until activated or promoted.'), expires: str(), providerKeyId: str('The provider\'s own id of the key.') }, ['secret']),
    KeyUpdateRequest: obj({ base, label: str(), expires: str(), secret: ref('Secret') }),
    KeyRotateRequest: obj({ base, secret: ref('Secret'), newId: str(undefined, { pattern: ID }), graceDays: int('Days the old key keeps working (default sil.yaml defaults.keyRotationGraceDays, 7).'), providerKeyId: str() }, ['secret']),
    KeyWriteResult: { allOf: [ref('WriteResult')], properties: { provider: str(), key: ref('KeyMeta') } },

    ...namedResource('Binding', 'binding', 'bindings', 'Binding'),
    ...namedResource('Policy', 'policy', 'policies', 'Policy'),
    ...namedResource('Client', 'client', 'clients', 'Client', 'ClientView'),
    TokenMeta: obj({ id: str(), hint: str('The token\'s last 4 characters.'), createdAt: str(), expiresAt: str(), revokedAt: str(), status: { type: 'string', enum: ['active', 'revoked', 'expired'] } }, ['id', 'createdAt', 'status']),
    ClientView: clientView(),
    TokenCreateRequest: obj({ base, expiresAt: str(undefined, { format: 'date-time' }) }),
    TokenCreated: { allOf: [ref('WriteResult')], properties: { token: str('The token: shown in this answer only, stored nowhere but as a hash.'), tokenId: str(), hint: str(), expiresAt: str(), note: str() }, required: ['token', 'tokenId'] },
    TokenRevoked: { allOf: [ref('WriteResult')], properties: { revokedAt: str() }, required: ['revokedAt'] },

    SettingsDetail: obj({ commit, path: str(), settings: ref('HubSettings') }, ['commit', 'path', 'settings']),
    SettingsWriteRequest: obj({ base, settings: ref('HubSettings') }, ['settings']),
    SettingsPatchRequest: obj({ base, settings: patchOf('settings file') }, ['settings']),
    EnvironmentList: obj({ commit, environments: arr(obj({ name: str(), providers: int(), bindings: int(), clients: int() }, ['name', 'providers', 'bindings', 'clients'])) }, ['commit', 'environments']),

    ConfigStatus: obj({
      commit: { type: ['string', 'null'], description: 'The live commit.' },
      loadedAt: { type: ['string', 'null'] },
      head: { type: ['string', 'null'], description: 'The branch head (differs from commit while a commit loads, or when it was rejected).' },
      upToDate: bool(),
      rejected: { oneOf: [{ type: 'null' }, obj({ commit: str(), at: str(), errors: arr(ref('Issue')), messages: arr(str()) }, ['commit', 'at', 'errors'])] },
      warnings: arr(ref('Issue')),
      counts: obj({ providers: int(), bindings: int(), policies: int(), clients: int(), webhooks: int() }),
    }, ['commit', 'loadedAt', 'head', 'upToDate', 'rejected', 'warnings', 'counts']),
    RequestPage: obj({
      requests: arr(obj({ id: str(), at: str(), client: str(), binding: str(), door: str(), provider: str(), model: str(), keyId: str(), status: int(), latencyMs: { type: 'number' }, attempts: int(), failoverReasons: arr(str()) })),
      next: { type: ['string', 'null'], description: 'Pass as `before` for the next page; null at the end.' },
    }, ['requests', 'next']),
    UsageTotals: obj({ totals: arr(obj({ client: str(), binding: str(), provider: str(), model: str(), requests: int(), inputTokens: int(), outputTokens: int(), cost: { type: 'number' } })) }, ['totals']),
    LimitsStatus: limitsSchema(),
    InboundHookList: obj({
      hooks: arr(obj({
        at: int('Epoch ms the delivery arrived.'),
        provider: str(),
        scheme: { type: 'string', enum: ['hmac', 'twilio', 'shared-secret', 'ecdsa-p256', 'paypal'] },
        verdict: { type: 'string', enum: ['accepted', 'refused'] },
        code: str('Refused: the catalog code (SIL_HOOK_SIGNATURE, SIL_HOOK_STALE, SIL_HOOK_REPLAY, SIL_HOOK_NOT_CONFIGURED).'),
        reason: str('Refused: why.'),
        eventType: str('The event type the provider gave, when the template says where it is.'),
        eventId: str('The event id the provider gave, when the template says where it is.'),
        hubEventId: str('Accepted: the id of the provider.webhook event on the hub\'s bus (the webhook-id of its deliveries).'),
        environment: str(),
      }, ['at', 'provider', 'scheme', 'verdict'])),
    }, ['hooks']),
    ...healthSchemas(),
    ...alertSchemas(),
    OpenApiDocument: { type: 'object', description: 'An OpenAPI 3.1 document.' },
  };
}
