// Every admin API route, written once as data: index.ts mounts a handler for each, openapi.ts
// describes each, and a test checks that every mounted route is described. Paths are relative
// to /api; `request` and `response` name components of the OpenAPI document (api-schemas.ts
// and the config schemas). Every method but GET is a change: it takes `base` (body or If-Match)
// and may answer 409 (stale base), 422 (invalid result) or 428 (no base).

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface QueryParam { name: string; description: string; type?: 'string' | 'integer' | 'boolean' }

export interface RouteSpec {
  op: string;
  method: Method;
  path: string;
  tag: string;
  summary: string;
  request?: string;
  response: string;
  /** Success status (default 200). */
  status?: number;
  query?: readonly QueryParam[];
  /** Path parameters that are not names (the default pattern): their own pattern and description. */
  params?: Readonly<Record<string, { pattern: string; description: string }>>;
}

/** An alert id is its rule and subject ("provider-down:openai-main", "policy:web/error-rate"...). */
const ALERT_ID = { id: { pattern: '^.{1,300}$', description: 'The alert id as GET /api/alerts lists it (rule and subject; may hold `:` `/` `>` `=`), URL-encoded.' } } as const;

const BASE_QUERY = [{ name: 'base', description: 'The commit the change is based on (instead of a body field or If-Match).' }] as const;
/** The period and filters every /analytics route takes (docs/analytics.md). */
const ANALYTICS_QUERY = [
  { name: 'period', description: '1h, 24h (default), 7d, 30d or custom.' },
  { name: 'from', description: 'period=custom: the start, ISO 8601 with a zone (e.g. 2026-05-01T00:00:00Z).' },
  { name: 'to', description: 'period=custom: the end (exclusive), ISO 8601 with a zone.' },
  { name: 'binding', description: 'Only this binding (required by /analytics/compare).' },
  { name: 'provider', description: 'Only this provider.' },
  { name: 'client', description: 'Only this client.' },
  { name: 'model', description: 'Only this model.' },
] as const;
const FORCE = [...BASE_QUERY, { name: 'force', description: 'Delete a key that is not revoked.', type: 'boolean' }] as const;

export const ROUTES = [
  { op: 'catalog.list', method: 'get', path: '/catalog', tag: 'catalog', summary: 'The provider templates of the catalog', response: 'CatalogList', query: [{ name: 'category', description: 'Only this category (AI, Cloud, Payment, ...).' }] },
  { op: 'catalog.get', method: 'get', path: '/catalog/:id', tag: 'catalog', summary: 'One template, in full', response: 'CatalogTemplate' },

  { op: 'providers.list', method: 'get', path: '/providers', tag: 'providers', summary: 'Providers with status and key counts', response: 'ProviderList' },
  { op: 'providers.add', method: 'post', path: '/providers', tag: 'providers', summary: 'Add a provider from a template or a custom definition', request: 'ProviderAddRequest', response: 'WriteResult', status: 201 },
  { op: 'providers.get', method: 'get', path: '/providers/:id', tag: 'providers', summary: 'One provider: its file and status', response: 'ProviderDetail' },
  { op: 'providers.edit', method: 'patch', path: '/providers/:id', tag: 'providers', summary: 'Edit a provider (JSON merge patch of its file)', request: 'ProviderPatchRequest', response: 'WriteResult' },
  { op: 'providers.delete', method: 'delete', path: '/providers/:id', tag: 'providers', summary: 'Delete a provider and its keys (refused while a binding uses it)', request: 'BaseRequest', response: 'WriteResult', query: BASE_QUERY },
  { op: 'providers.enable', method: 'post', path: '/providers/:id/enable', tag: 'providers', summary: 'Enable a provider', request: 'BaseRequest', response: 'WriteResult' },
  { op: 'providers.disable', method: 'post', path: '/providers/:id/disable', tag: 'providers', summary: 'Disable a provider', request: 'BaseRequest', response: 'WriteResult' },
  { op: 'providers.service', method: 'put', path: '/providers/:id/services/:service', tag: 'providers', summary: 'Turn one service of a provider on or off', request: 'ServiceSwitchRequest', response: 'WriteResult' },

  { op: 'keys.list', method: 'get', path: '/providers/:id/keys', tag: 'keys', summary: 'A provider\'s keys: metadata only, never secrets', response: 'KeyList' },
  { op: 'keys.add', method: 'post', path: '/providers/:id/keys', tag: 'keys', summary: 'Add a key (the secret is stored encrypted and never returned)', request: 'KeyAddRequest', response: 'KeyWriteResult', status: 201 },
  { op: 'keys.update', method: 'patch', path: '/providers/:id/keys/:keyId', tag: 'keys', summary: 'Change a key\'s label, expiry or secret', request: 'KeyUpdateRequest', response: 'KeyWriteResult' },
  { op: 'keys.delete', method: 'delete', path: '/providers/:id/keys/:keyId', tag: 'keys', summary: 'Remove a (revoked) key from the vault', request: 'BaseRequest', response: 'KeyWriteResult', query: FORCE },
  { op: 'keys.rotate', method: 'post', path: '/providers/:id/keys/:keyId/rotate', tag: 'keys', summary: 'Rotate: the new secret goes live, the key retires after the grace period', request: 'KeyRotateRequest', response: 'KeyWriteResult' },
  { op: 'keys.suspend', method: 'post', path: '/providers/:id/keys/:keyId/suspend', tag: 'keys', summary: 'Stop using a key without revoking it', request: 'BaseRequest', response: 'KeyWriteResult' },
  { op: 'keys.activate', method: 'post', path: '/providers/:id/keys/:keyId/activate', tag: 'keys', summary: 'Make a staged, suspended or retiring key active', request: 'BaseRequest', response: 'KeyWriteResult' },
  { op: 'keys.revoke', method: 'post', path: '/providers/:id/keys/:keyId/revoke', tag: 'keys', summary: 'Revoke a key: its secret is removed from the vault', request: 'BaseRequest', response: 'KeyWriteResult' },
  { op: 'keys.default', method: 'post', path: '/providers/:id/keys/:keyId/default', tag: 'keys', summary: 'Make a key the one requests use', request: 'BaseRequest', response: 'KeyWriteResult' },

  { op: 'bindings.list', method: 'get', path: '/bindings', tag: 'bindings', summary: 'Bindings: targets, order, strategy, failover', response: 'BindingList' },
  { op: 'bindings.create', method: 'post', path: '/bindings', tag: 'bindings', summary: 'Create a binding', request: 'BindingWriteRequest', response: 'WriteResult', status: 201 },
  { op: 'bindings.get', method: 'get', path: '/bindings/:id', tag: 'bindings', summary: 'One binding', response: 'BindingDetail' },
  { op: 'bindings.replace', method: 'put', path: '/bindings/:id', tag: 'bindings', summary: 'Replace a binding', request: 'BindingWriteRequest', response: 'WriteResult' },
  { op: 'bindings.patch', method: 'patch', path: '/bindings/:id', tag: 'bindings', summary: 'Edit a binding (JSON merge patch)', request: 'BindingPatchRequest', response: 'WriteResult' },
  { op: 'bindings.delete', method: 'delete', path: '/bindings/:id', tag: 'bindings', summary: 'Delete a binding', request: 'BaseRequest', response: 'WriteResult', query: BASE_QUERY },

  { op: 'policies.list', method: 'get', path: '/policies', tag: 'policies', summary: 'Policies: rate limits, quotas, budgets, alerts', response: 'PolicyList' },
  { op: 'policies.create', method: 'post', path: '/policies', tag: 'policies', summary: 'Create a policy', request: 'PolicyWriteRequest', response: 'WriteResult', status: 201 },
  { op: 'policies.get', method: 'get', path: '/policies/:id', tag: 'policies', summary: 'One policy', response: 'PolicyDetail' },
  { op: 'policies.replace', method: 'put', path: '/policies/:id', tag: 'policies', summary: 'Replace a policy', request: 'PolicyWriteRequest', response: 'WriteResult' },
  { op: 'policies.patch', method: 'patch', path: '/policies/:id', tag: 'policies', summary: 'Edit a policy (JSON merge patch)', request: 'PolicyPatchRequest', response: 'WriteResult' },
  { op: 'policies.delete', method: 'delete', path: '/policies/:id', tag: 'policies', summary: 'Delete a policy', request: 'BaseRequest', response: 'WriteResult', query: BASE_QUERY },

  { op: 'clients.list', method: 'get', path: '/clients', tag: 'clients', summary: 'Clients (token hashes left out)', response: 'ClientList' },
  { op: 'clients.create', method: 'post', path: '/clients', tag: 'clients', summary: 'Create a client (tokens are issued separately)', request: 'ClientWriteRequest', response: 'WriteResult', status: 201 },
  { op: 'clients.get', method: 'get', path: '/clients/:id', tag: 'clients', summary: 'One client with its tokens\' metadata', response: 'ClientDetail' },
  { op: 'clients.replace', method: 'put', path: '/clients/:id', tag: 'clients', summary: 'Replace a client (its tokens are kept)', request: 'ClientWriteRequest', response: 'WriteResult' },
  { op: 'clients.patch', method: 'patch', path: '/clients/:id', tag: 'clients', summary: 'Edit a client (JSON merge patch; tokens are kept)', request: 'ClientPatchRequest', response: 'WriteResult' },
  { op: 'clients.delete', method: 'delete', path: '/clients/:id', tag: 'clients', summary: 'Delete a client and every token it has', request: 'BaseRequest', response: 'WriteResult', query: BASE_QUERY },
  { op: 'tokens.create', method: 'post', path: '/clients/:id/tokens', tag: 'clients', summary: 'Issue a token: shown once in this answer, stored only as a hash', request: 'TokenCreateRequest', response: 'TokenCreated', status: 201 },
  { op: 'tokens.revoke', method: 'delete', path: '/clients/:id/tokens/:tokenId', tag: 'clients', summary: 'Revoke a token', request: 'BaseRequest', response: 'TokenRevoked', query: BASE_QUERY },

  { op: 'webhooks.list', method: 'get', path: '/webhooks', tag: 'webhooks', summary: 'Outgoing webhook subscriptions with the hub\'s state of each endpoint and its signing keys (metadata only)', response: 'WebhookList' },
  { op: 'webhooks.create', method: 'post', path: '/webhooks', tag: 'webhooks', summary: 'Create a subscription and its signing secret (shown once in this answer, stored encrypted)', request: 'WebhookWriteRequest', response: 'WebhookSecretResult', status: 201 },
  { op: 'webhooks.delivery', method: 'get', path: '/webhooks/deliveries/:deliveryId', tag: 'webhooks', summary: 'One delivery: its body and every attempt', response: 'WebhookDeliveryDetail' },
  { op: 'webhooks.replay', method: 'post', path: '/webhooks/deliveries/:deliveryId/replay', tag: 'webhooks', summary: 'Send a delivery again: a new delivery with the same webhook-id and body', request: 'BaseRequest', response: 'WebhookReplayResult', status: 201 },
  { op: 'webhooks.get', method: 'get', path: '/webhooks/:id', tag: 'webhooks', summary: 'One subscription', response: 'WebhookDetail' },
  { op: 'webhooks.replace', method: 'put', path: '/webhooks/:id', tag: 'webhooks', summary: 'Replace a subscription (its secret is kept)', request: 'WebhookWriteRequest', response: 'WriteResult' },
  { op: 'webhooks.patch', method: 'patch', path: '/webhooks/:id', tag: 'webhooks', summary: 'Edit a subscription (JSON merge patch; enabled: false stops deliveries)', request: 'WebhookPatchRequest', response: 'WriteResult' },
  { op: 'webhooks.delete', method: 'delete', path: '/webhooks/:id', tag: 'webhooks', summary: 'Delete a subscription and its signing secret', request: 'BaseRequest', response: 'WriteResult', query: BASE_QUERY },
  { op: 'webhooks.rotateSecret', method: 'post', path: '/webhooks/:id/secret/rotate', tag: 'webhooks', summary: 'A new signing secret (shown once); the old one keeps signing for graceHours (default 24)', request: 'WebhookRotateRequest', response: 'WebhookSecretResult' },
  { op: 'webhooks.enable', method: 'post', path: '/webhooks/:id/enable', tag: 'webhooks', summary: 'Lift a disable made by the hub (failing for 5 days, 410 Gone); runtime state, no commit', request: 'BaseRequest', response: 'WebhookEnableResult' },
  { op: 'webhooks.deliveries', method: 'get', path: '/webhooks/:id/deliveries', tag: 'webhooks', summary: 'The delivery log of a subscription, newest first', response: 'WebhookDeliveryList', query: [{ name: 'limit', description: 'At most this many (1-500, default 100).', type: 'integer' }, { name: 'state', description: 'Only pending, delivered or failed deliveries.' }] },

  { op: 'settings.get', method: 'get', path: '/settings', tag: 'settings', summary: 'Hub settings (sil.yaml)', response: 'SettingsDetail' },
  { op: 'settings.replace', method: 'put', path: '/settings', tag: 'settings', summary: 'Replace the hub settings', request: 'SettingsWriteRequest', response: 'WriteResult' },
  { op: 'settings.patch', method: 'patch', path: '/settings', tag: 'settings', summary: 'Edit the hub settings (JSON merge patch)', request: 'SettingsPatchRequest', response: 'WriteResult' },
  { op: 'environments.list', method: 'get', path: '/environments', tag: 'settings', summary: 'Environments with what each holds', response: 'EnvironmentList' },

  { op: 'status.get', method: 'get', path: '/status', tag: 'status', summary: 'Config status: live commit, rejected commit with its errors, warnings', response: 'ConfigStatus' },
  { op: 'requests.list', method: 'get', path: '/requests', tag: 'status', summary: 'The proxy\'s recent requests, newest first', response: 'RequestPage', query: [{ name: 'limit', description: 'At most this many (1-500, default 50).', type: 'integer' }, { name: 'before', description: 'Page back from this request id.' }] },
  { op: 'usage.get', method: 'get', path: '/usage', tag: 'status', summary: 'Usage totals per client, binding, provider and model', response: 'UsageTotals' },
  { op: 'hooks.recent', method: 'get', path: '/hooks/recent', tag: 'status', summary: 'The last inbound provider webhooks (/hooks/<provider-id>), accepted and refused, newest first: time, provider, scheme, verdict, event type and id, never the payload', response: 'InboundHookList', query: [{ name: 'limit', description: 'At most this many (1-200, default 50).', type: 'integer' }, { name: 'provider', description: 'Only this provider.' }] },
  { op: 'limits.get', method: 'get', path: '/limits', tag: 'status', summary: 'Policy counters (used of max per policy, scope and limit, with the period), refusals since start and recent budget alerts', response: 'LimitsStatus' },
  { op: 'alerts.list', method: 'get', path: '/alerts', tag: 'alerts', summary: 'Alerts: firing first (most severe, newest), then recently resolved; with the silences in force (docs/alerts.md)', response: 'AlertList', query: [{ name: 'state', description: 'firing or resolved.' }, { name: 'kind', description: 'Only this kind (policy, provider-down, key-rotation-due, ...).' }, { name: 'limit', description: 'At most this many (1-1000, default 200).', type: 'integer' }] },
  { op: 'alerts.unread', method: 'get', path: '/alerts/unread', tag: 'alerts', summary: 'How many alerts are firing and not acknowledged (the console\'s top bar)', response: 'AlertUnread' },
  { op: 'alerts.ack', method: 'post', path: '/alerts/:id/ack', tag: 'alerts', summary: 'Acknowledge an alert (runtime state, no commit; the id URL-encoded)', response: 'AlertAnswer', params: ALERT_ID },
  { op: 'alerts.silence', method: 'post', path: '/alerts/:id/silence', tag: 'alerts', summary: 'Hold back an alert\'s notifications (or every alert of its kind) until a time; it still shows here', request: 'AlertSilenceRequest', response: 'AlertSilenceAnswer', params: ALERT_ID },
  { op: 'alerts.unsilence', method: 'delete', path: '/alerts/:id/silence', tag: 'alerts', summary: 'Lift the silences holding an alert (its own and its kind\'s)', response: 'AlertAnswer', params: ALERT_ID },
  { op: 'health.list', method: 'get', path: '/health', tag: 'status', summary: 'Every provider\'s health: status, reason, last probe, traffic, circuit, keys, uptime (docs/health.md)', response: 'HealthList' },
  { op: 'health.get', method: 'get', path: '/health/:provider', tag: 'status', summary: 'One provider\'s health with its recent probes and status transitions', response: 'HealthDetail' },
  { op: 'analytics.overview', method: 'get', path: '/analytics/overview', tag: 'analytics', summary: 'Totals and a series per step: requests, success, latency percentiles, tokens, cost', response: 'AnalyticsOverview', query: ANALYTICS_QUERY },
  { op: 'analytics.breakdown', method: 'get', path: '/analytics/breakdown', tag: 'analytics', summary: 'The period\'s figures per provider, binding, client, model or key', response: 'AnalyticsBreakdown', query: [{ name: 'by', description: 'provider, binding, client, model or key (required).' }, ...ANALYTICS_QUERY] },
  { op: 'analytics.compare', method: 'get', path: '/analytics/compare', tag: 'analytics', summary: 'A binding\'s targets side by side: cost per request, latency, success and quality', response: 'AnalyticsCompare', query: ANALYTICS_QUERY },
  { op: 'analytics.recommendations', method: 'get', path: '/analytics/recommendations', tag: 'analytics', summary: 'Findings with their evidence and one action each (default period 7d)', response: 'AnalyticsRecommendations', query: ANALYTICS_QUERY },
  { op: 'openapi.get', method: 'get', path: '/openapi.json', tag: 'meta', summary: 'This API, described in OpenAPI 3.1', response: 'OpenApiDocument' },
] as const satisfies readonly RouteSpec[];

export type OpId = (typeof ROUTES)[number]['op'];

/**
 * Routes that register themselves on the admin router (history-routes.ts, bundle-routes.ts)
 * instead of through a handler of ROUTES: described here so openapi.json covers them too.
 */
export const EXTERNAL_ROUTES: readonly RouteSpec[] = [
  { op: 'history.list', method: 'get', path: '/history', tag: 'history', summary: 'Commits of main, newest first, with author, signature status and files', response: 'HistoryList', query: [{ name: 'limit', description: 'At most this many commits (1–200, default 50).', type: 'integer' }, { name: 'before', description: 'Page on from this commit (the `next` of the previous page).' }] },
  { op: 'history.get', method: 'get', path: '/history/:commit', tag: 'history', summary: 'One commit with per-file diffs', response: 'HistoryCommit' },
  { op: 'history.revert', method: 'post', path: '/history/:commit/revert', tag: 'history', summary: 'A new commit that undoes this one', request: 'BaseRequest', response: 'RevertResult', status: 201, query: BASE_QUERY },
  { op: 'export', method: 'get', path: '/export', tag: 'bundles', summary: 'The config as one YAML or JSON bundle (secrets encrypted or left out)', response: 'Bundle', query: [{ name: 'format', description: 'yaml (default) or json.' }, { name: 'include', description: 'Comma-separated sections (providers, bindings, policies, clients, webhooks, secrets, settings); default all.' }, { name: 'secrets', description: 'encrypted (default): the SOPS files as they are; omit: left out.' }, { name: 'commit', description: 'Export this commit of main instead of the head.' }] },
  { op: 'import.preview', method: 'post', path: '/import/preview', tag: 'bundles', summary: 'What an import would change, and every error, without committing', request: 'Bundle', response: 'ImportPreview', query: [{ name: 'mode', description: 'merge (default) or replace.' }, ...BASE_QUERY] },
  { op: 'audit.list', method: 'get', path: '/audit', tag: 'audit', summary: 'Runtime audit events (logins, refused tokens, failovers, rejected config), newest first', response: 'AuditPage', query: [{ name: 'limit', description: 'At most this many (1–500, default 50).', type: 'integer' }, { name: 'before', description: 'Only entries with a seq below this (the `next` of the previous page).', type: 'integer' }, { name: 'type', description: 'Only this event type.' }] },
  { op: 'audit.verify', method: 'get', path: '/audit/verify', tag: 'audit', summary: 'Checks the hash chain of the audit log and names the first broken entry', response: 'AuditVerify' },
  { op: 'import', method: 'post', path: '/import', tag: 'bundles', summary: 'Applies a bundle as one commit, or nothing and every error (422)', request: 'Bundle', response: 'ImportResult', status: 201, query: [{ name: 'mode', description: 'merge (default) or replace.' }, ...BASE_QUERY] },
  { op: 'remote.get', method: 'get', path: '/remote', tag: 'status', summary: 'The remote config repository this hub follows (sil.yaml remote:): last fetch and push, commits ahead and behind, diverged, the last failure (docs/remote-sync.md)', response: 'RemoteStatus' },
  { op: 'analytics.report', method: 'get', path: '/analytics/report', tag: 'analytics', summary: 'The period\'s analytics as a download: JSON (totals, series, every breakdown) or CSV (one row for the totals and one per value of each dimension)', response: 'AnalyticsReport', query: [{ name: 'format', description: 'json (default) or csv.' }, ...ANALYTICS_QUERY] },
];

/** Every route the admin API serves, for the OpenAPI document. */
export const ALL_ROUTES: readonly RouteSpec[] = [...ROUTES, ...EXTERNAL_ROUTES];
