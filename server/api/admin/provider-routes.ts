// /api/providers: add from a catalog template or a custom definition, edit, enable/disable,
// switch single services, delete. The list shows each provider's status and key counts.
import { forbiddenHost, providerBaseUrls } from '../../config/base-url-check.ts';
import { assertBaseUrl, systemResolve } from '../../core/private-address.ts';
import { SilError } from '../../errors.ts';
import { definitionOf } from '../../config/provider-check.ts';
import { secretsPath } from '../../vault/secrets-file.ts';
import type { ProviderInstance, ProviderKey, SecretsFile } from '../../../schemas/types.gen.ts';
import { booleanField, checkId, objectField, onlyFields, type Call, type Handler } from './call.ts';
import { keysAt } from './key-state.ts';
import { loadNamed } from './named-files.ts';
import { newProvider, providerSummary, switchService } from './provider-view.ts';
import { mergePatch, newFileText, syncDocument, writeDocument, type JsonObject } from './yaml-edit.ts';
import type { Repo } from './repo.ts';
import type { OpId } from './route-table.ts';

type ProviderOp = Extract<OpId, `providers.${string}`>;

const keysOf = (s: SecretsFile | undefined): ProviderKey[] => (Array.isArray(s?.keys) ? s.keys : []);

export function providerHandlers(repo: Repo): Record<ProviderOp, Handler> {
  const { deps } = repo;
  const idOf = (call: Call) => checkId(call.params.id, 'provider id');
  const summary = (p: ProviderInstance, keys: ProviderKey[]) => providerSummary(p, definitionOf(p, deps.catalog), keys, deps.live.error, deps.health?.get(p.id));

  /** Refuses base URLs that resolve to link-local or metadata addresses (see base-url-check.ts). */
  async function guardBaseUrls(value: JsonObject): Promise<void> {
    const p = value as unknown as ProviderInstance;
    const def = definitionOf(p, deps.catalog);
    if (!def || deps.live.snapshot?.settings.security.allowPrivateBaseUrls) return;
    for (const { url } of providerBaseUrls(p, def)) {
      if (url.includes('${')) continue;
      // Metadata names and nip.io-style names are refused without asking DNS (it may not know them here).
      const named = forbiddenHost(url);
      if (named) throw new SilError('SIL_BASE_URL_FORBIDDEN', `provider base URL refused: ${url} points at ${named}`);
      await assertBaseUrl(url, { allowPrivate: false, resolve: deps.resolveHost ?? systemResolve });
    }
  }

  /** Loads the provider at the base, lets `change` compute its new content, commits it. */
  async function edit(call: Call, fields: string[], message: (id: string) => string, change: (value: JsonObject, id: string) => JsonObject) {
    onlyFields(call.body, fields);
    const id = idOf(call);
    const base = await call.base();
    const loaded = await loadNamed(repo, base, 'providers', 'provider', id);
    const next = change(loaded.value, id);
    await guardBaseUrls(next);
    if (next.id !== id) throw new SilError('SIL_API_INPUT', `a provider's id is its file name (${id}); it cannot change`, { hint: 'to rename, add the provider under the new id and delete the old one' });
    syncDocument(loaded.doc, next);
    const text = writeDocument(loaded.file.path, loaded.doc);
    if (text === loaded.file.text) return { body: repo.unchanged(base) };
    return { body: await repo.commit(base, { [loaded.file.path]: text }, message(id)) };
  }

  const setEnabled = (enabled: boolean): Handler => (call) =>
    edit(call, [], (id) => `providers: ${enabled ? 'enable' : 'disable'} ${id}`, (v) => ({ ...v, enabled }));

  return {
    async 'providers.list'() {
      const commit = await repo.readCommit();
      const model = await repo.model(commit);
      const providers = [...model.providers.values()].map((cf) => summary(cf.value, keysOf(model.secrets.get(cf.value.id)?.value)));
      return { body: { commit, providers } };
    },

    async 'providers.get'(call) {
      const id = idOf(call);
      const commit = await repo.readCommit();
      const { file, value } = await loadNamed(repo, commit, 'providers', 'provider', id);
      const p = value as unknown as ProviderInstance;
      return { body: { commit, path: file.path, provider: value, summary: summary(p, await keysAt(repo, commit, id)) } };
    },

    async 'providers.add'(call) {
      onlyFields(call.body, ['provider']);
      const input = objectField(call.body, 'provider');
      const id = checkId(input.id, 'provider id');
      if (input.template !== undefined && typeof input.template !== 'string') throw new SilError('SIL_API_INPUT', '"template" must be a catalog template id');
      const base = await call.base();
      const existing = await repo.file(base, 'providers', id);
      if (existing) throw new SilError('SIL_API_EXISTS', `provider "${id}" already exists (${existing.path})`, { hint: `edit it with PATCH /api/providers/${id}` });
      const template = typeof input.template === 'string' ? deps.catalog.get(input.template) : undefined;
      const path = `providers/${id}.yaml`;
      const value = newProvider(input, template?.name);
      await guardBaseUrls(value as JsonObject);
      const answer = await repo.commit(base, { [path]: newFileText(path, 'provider.schema.json', value) }, `providers: add ${id}${template ? ` (${template.id})` : input.definition ? ' (custom)' : ''}`);
      return { status: 201, body: { ...answer, path } };
    },

    'providers.edit': (call) =>
      edit(call, ['provider'], (id) => `providers: edit ${id}`, (v) => mergePatch(v, objectField(call.body, 'provider')) as JsonObject),

    'providers.enable': setEnabled(true),
    'providers.disable': setEnabled(false),

    async 'providers.service'(call) {
      const service = checkId(call.params.service, 'service id');
      const enabled = booleanField(call.body, 'enabled');
      return edit(call, ['enabled'], (id) => `providers: service ${id}/${service} ${enabled ? 'on' : 'off'}`, (v) => {
        const def = definitionOf(v as unknown as ProviderInstance, deps.catalog);
        if (def && !def.services.some((s) => s.id === service)) {
          throw new SilError('SIL_API_NOT_FOUND', `provider "${String(v.id)}" has no service "${service}"`, { hint: `its services: ${def.services.map((s) => s.id).join(', ')}` });
        }
        return switchService(v, service, enabled);
      });
    },

    async 'providers.delete'(call) {
      onlyFields(call.body, []);
      const id = idOf(call);
      const base = await call.base();
      const { file } = await loadNamed(repo, base, 'providers', 'provider', id);
      const secrets = await repo.file(base, 'secrets', id);
      const changes: Record<string, null> = { [file.path]: null };
      if (secrets) changes[secrets.path] = null;
      else changes[secretsPath(id)] = null;
      const keys = (await keysAt(repo, base, id)).length;
      return { body: await repo.commit(base, changes, `providers: delete ${id}${keys ? ` (and its ${keys} key${keys > 1 ? 's' : ''})` : ''}`) };
    },
  };
}
