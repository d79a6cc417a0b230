// /api/settings: the hub settings (sil.yaml), and /api/environments: the environments it
// declares, with how many providers, bindings and clients each holds.
import { SilError } from '../../errors.ts';
import { objectField, onlyFields, type Call, type Handler } from './call.ts';
import { mergePatch, readDocument, syncDocument, valueOf, writeDocument, type JsonObject } from './yaml-edit.ts';
import type { Repo } from './repo.ts';
import type { OpId } from './route-table.ts';

type SettingsOp = Extract<OpId, `settings.${string}` | 'environments.list'>;

export function settingsHandlers(repo: Repo): Record<SettingsOp, Handler> {
  async function load(commit: string) {
    const file = await repo.file(commit, null, 'sil');
    if (!file) throw new SilError('SIL_CONFIG_MISSING', 'the config repository has no sil.yaml', { hint: 'restore it with git (`sil init` writes a default one)' });
    const doc = readDocument(file.path, file.text);
    return { file, doc, value: valueOf(doc) };
  }

  async function write(call: Call, next: (current: JsonObject, input: JsonObject) => JsonObject) {
    onlyFields(call.body, ['settings']);
    const input = objectField(call.body, 'settings');
    const base = await call.base();
    const { file, doc, value } = await load(base);
    syncDocument(doc, next(value, input));
    const text = writeDocument(file.path, doc);
    if (text === file.text) return { body: repo.unchanged(base) };
    return { body: await repo.commit(base, { [file.path]: text }, `settings: update ${file.path}`) };
  }

  return {
    async 'settings.get'() {
      const commit = await repo.readCommit();
      const { file, value } = await load(commit);
      return { body: { commit, path: file.path, settings: value } };
    },
    'settings.replace': (call) => write(call, (_current, input) => input),
    'settings.patch': (call) => write(call, (current, input) => mergePatch(current, input) as JsonObject),

    async 'environments.list'() {
      const commit = await repo.readCommit();
      const model = await repo.model(commit);
      const declared = model.settings?.value.environments ?? ['dev', 'prod'];
      const count = (items: Iterable<{ value: { environment?: string } }>, env: string) => [...items].filter((cf) => cf.value.environment === env).length;
      const environments = declared.map((name) => ({
        name,
        providers: count(model.providers.values(), name),
        bindings: count(model.bindings.values(), name),
        clients: count(model.clients.values(), name),
      }));
      return { body: { commit, environments } };
    },
  };
}
