// /api/webhooks: subscriptions (webhooks/<name>.yaml) with their signing secret in the vault
// (secrets/webhook-<name>.yaml; created with the subscription, rotated on demand, shown once),
// the hub's own state of each endpoint (failing since, disabled by the hub), and the delivery
// log with replay. Edits are commits like every config change; enable/replay are runtime state.
import { parse } from 'yaml';
import type { HubSettings } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { checkId, intField, objectField, onlyFields, type Call, type Handler } from '../api/admin/call.ts';
import { namedFileHandlers } from '../api/admin/named-files.ts';
import { newFileText, ordered, type JsonObject } from '../api/admin/yaml-edit.ts';
import type { Repo } from '../api/admin/repo.ts';
import { recipientsFor } from '../vault/identity.ts';
import { newSecretFile, webhookSecretsPath } from './secrets.ts';
import { deliveryDetail, deliverySummary } from './delivery-view.ts';
import type { WebhookDispatcher } from './dispatcher.ts';
import type { OpId } from '../api/admin/route-table.ts';

const DEFAULT_GRACE_HOURS = 24;

export function webhookHandlers(repo: Repo, dispatcher: () => WebhookDispatcher | undefined): Record<Extract<OpId, `webhooks.${string}`>, Handler> {
  const named = namedFileHandlers(repo, { folder: 'webhooks', schemaFile: 'webhook.schema.json', field: 'webhook' });
  const nameOf = (call: Call) => checkId(call.params.id, 'webhook name');
  const running = (): WebhookDispatcher => {
    const d = dispatcher();
    if (!d) throw new SilError('SIL_API_NOT_FOUND', 'this hub runs without outgoing webhooks');
    return d;
  };
  const endpoint = async (name: string) => (await dispatcher()?.endpointState(name)) ?? {};
  const signing = (name: string) => {
    const ring = repo.deps.live.snapshot?.keyrings.get(`webhook-${name}`);
    return { keys: (ring?.keys ?? []).filter((k) => k.status !== 'revoked').map((k) => ({ id: k.id, status: k.status, created: k.created, ...(k.retireAt ? { retireAt: k.retireAt } : {}), fingerprint: k.fingerprint })) };
  };
  const withState = async (w: JsonObject) => ({ ...w, state: stateView(await endpoint(String(w.name))), signing: signing(String(w.name)) });

  async function recipients(base: string): Promise<string[]> {
    const file = await repo.file(base, null, 'sil');
    const settings = file ? (parse(file.text) as HubSettings) : undefined;
    return recipientsFor(repo.deps.vault.hub.recipient, settings);
  }

  async function sealed(base: string, name: string, graceHours: number) {
    const current = await repo.file(base, 'secrets', `webhook-${name}`);
    return newSecretFile(name, { current: current?.text ?? null, identities: repo.deps.vault.hub.identities, recipients: await recipients(base), now: repo.deps.now(), graceHours });
  }

  return {
    async 'webhooks.list'(call) {
      const { body } = await named.list(call);
      const b = body as { commit: string; webhooks: JsonObject[] };
      return { body: { commit: b.commit, webhooks: await Promise.all(b.webhooks.map(withState)) } };
    },
    async 'webhooks.get'(call) {
      const { body } = await named.get(call);
      const b = body as { commit: string; path: string; webhook: JsonObject };
      return { body: { ...b, webhook: await withState(b.webhook) } };
    },
    async 'webhooks.create'(call) {
      onlyFields(call.body, ['webhook']);
      const input = objectField(call.body, 'webhook');
      const name = checkId(input.name, 'webhook name');
      const base = await call.base();
      const existing = await repo.file(base, 'webhooks', name);
      if (existing) throw new SilError('SIL_API_EXISTS', `webhook "${name}" already exists (${existing.path})`, { hint: `edit it with PUT or PATCH /api/webhooks/${name}` });
      const path = `webhooks/${name}.yaml`;
      const secret = await sealed(base, name, 0);
      const text = newFileText(path, 'webhook.schema.json', ordered(input as JsonObject, ['name', 'description', 'url', 'enabled', 'environment', 'events']));
      const answer = await repo.commit(base, { [path]: text, [webhookSecretsPath(name)]: secret.text }, `webhooks: add ${name} (signing secret in ${webhookSecretsPath(name)})`);
      return { status: 201, body: { ...answer, path, secret: secret.secret } };
    },
    'webhooks.replace': named.replace,
    'webhooks.patch': named.patch,
    async 'webhooks.delete'(call) {
      onlyFields(call.body, []);
      const name = nameOf(call);
      const base = await call.base();
      const file = await repo.file(base, 'webhooks', name);
      if (!file) throw new SilError('SIL_API_NOT_FOUND', `webhook "${name}" does not exist`, { hint: 'GET /api/webhooks lists what exists' });
      const secrets = await repo.file(base, 'secrets', `webhook-${name}`);
      return { body: await repo.commit(base, { [file.path]: null, ...(secrets ? { [secrets.path]: null } : {}) }, `webhooks: delete ${name}`) };
    },
    async 'webhooks.rotateSecret'(call) {
      onlyFields(call.body, ['graceHours']);
      const name = nameOf(call);
      const graceHours = intField(call.body, 'graceHours', 0) ?? DEFAULT_GRACE_HOURS;
      if (graceHours > 24 * 30) throw new SilError('SIL_API_INPUT', '"graceHours" is at most 720 (30 days)');
      const base = await call.base();
      if (!(await repo.file(base, 'webhooks', name))) throw new SilError('SIL_API_NOT_FOUND', `webhook "${name}" does not exist`);
      const secret = await sealed(base, name, graceHours);
      const answer = await repo.commit(base, { [webhookSecretsPath(name)]: secret.text }, secret.message);
      return { body: { ...answer, secret: secret.secret, graceHours } };
    },
    async 'webhooks.enable'(call) {
      onlyFields(call.body, []);
      const name = nameOf(call);
      const state = await running().enable(name);
      return { body: { name, state: stateView(state) } };
    },
    async 'webhooks.deliveries'(call) {
      const name = nameOf(call);
      const limit = Math.min(500, Math.max(1, Number(call.query.limit ?? 100) || 100));
      const state = call.query.state;
      const all = (await running().store.list(name)).filter((d) => !state || d.state === state);
      return { body: { webhook: name, deliveries: all.slice(0, limit).map(deliverySummary), total: all.length } };
    },
    async 'webhooks.delivery'(call) {
      const d = await running().store.get(String(call.params.deliveryId));
      if (!d) throw new SilError('SIL_API_NOT_FOUND', `delivery "${String(call.params.deliveryId).slice(0, 40)}" does not exist`);
      return { body: { delivery: deliveryDetail(d) } };
    },
    async 'webhooks.replay'(call) {
      onlyFields(call.body, []);
      const d = await running().replay(String(call.params.deliveryId));
      return { status: 201, body: { delivery: deliverySummary(d) } };
    },
  };
}

function stateView(s: { failingSince?: number; lastSuccessAt?: number; disabledAt?: number; disabledReason?: string; consecutiveFailures?: number }) {
  const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    disabledByHub: s.disabledAt !== undefined,
    ...(s.disabledAt !== undefined ? { disabledAt: iso(s.disabledAt), disabledReason: s.disabledReason } : {}),
    ...(s.failingSince !== undefined ? { failingSince: iso(s.failingSince), consecutiveFailures: s.consecutiveFailures ?? 0 } : {}),
    ...(s.lastSuccessAt !== undefined ? { lastSuccessAt: iso(s.lastSuccessAt) } : {}),
  };
}
