// /api/providers/:id/keys: the vault's key lifecycle (add, update, rotate, suspend, activate,
// revoke, set default, delete), each one commit. A secret goes in and never comes back out:
// answers carry metadata, the fingerprint and a mask only.
import * as ops from '../../vault/keyring.ts';
import { booleanField, checkId, intField, onlyFields, stringField, type Call, type Handler } from './call.ts';
import { changeKeysAt, keysAt, providerAt, secretFromBody, settingsAt, type KeyChangeResult } from './key-state.ts';
import { keyMeta } from './key-view.ts';
import type { KeyringChange, KeyringContext, Keyring } from '../../vault/keyring.ts';
import type { ProviderState } from '../../vault/key-ops.ts';
import type { Repo } from './repo.ts';
import type { OpId } from './route-table.ts';

type KeyOp = Extract<OpId, `keys.${string}`>;
type Op = (k: Keyring, kctx: KeyringContext, state: ProviderState) => KeyringChange;

const rotationDays = (state: ProviderState) => state.provider.keyRotationDays ?? state.settings?.defaults?.keyRotationDays ?? 90;

export function keyHandlers(repo: Repo): Record<KeyOp, Handler> {
  const { deps } = repo;
  const providerId = (call: Call) => checkId(call.params.id, 'provider id');
  const keyId = (call: Call) => checkId(call.params.keyId, 'key id');

  /** Runs a change and answers with the new commit and the affected key's metadata. */
  async function run(call: Call, fields: string[], op: Op, shown: (r: KeyChangeResult) => string | undefined, status = 200) {
    onlyFields(call.body, fields);
    const id = providerId(call);
    const base = await call.base();
    const r = await changeKeysAt(repo, id, base, op);
    const keyIdShown = shown(r);
    const key = r.change.keyring.keys.find((k) => k.id === keyIdShown);
    return { status, body: { ...r.answer, provider: id, ...(key ? { key: keyMeta(key, rotationDays(r.state), deps.now()) } : {}) } };
  }

  const simple = (fn: (k: Keyring, kctx: KeyringContext, id: string) => KeyringChange): Handler => async (call) => {
    const kid = keyId(call);
    return run(call, [], (k, kctx) => fn(k, kctx, kid), () => kid);
  };

  return {
    async 'keys.list'(call) {
      const id = providerId(call);
      const commit = await repo.readCommit();
      const provider = await providerAt(repo, commit, id);
      const settings = await settingsAt(repo, commit);
      const days = provider.keyRotationDays ?? settings?.defaults?.keyRotationDays ?? 90;
      const keys = (await keysAt(repo, commit, id)).map((k) => keyMeta(k, days, deps.now()));
      return { body: { commit, provider: id, keys } };
    },

    async 'keys.add'(call) {
      const newId = call.body.id === undefined ? undefined : checkId(call.body.id, 'key id');
      const staged = call.body.staged === undefined ? false : booleanField(call.body, 'staged');
      let added = '';
      return run(call, ['secret', 'label', 'id', 'staged', 'expires', 'providerKeyId'], (k, kctx, state) => {
        const input = secretFromBody(call.body.secret, state);
        const change = ops.addKey(k, kctx, { id: newId, label: stringField(call.body, 'label'), staged, expires: stringField(call.body, 'expires'), secret: input.secret, providerKeyId: stringField(call.body, 'providerKeyId') });
        added = change.keyring.keys[change.keyring.keys.length - 1].id;
        return { ...change, warnings: [...input.warnings, ...change.warnings] };
      }, () => added, 201);
    },

    async 'keys.update'(call) {
      const kid = keyId(call);
      return run(call, ['label', 'expires', 'secret'], (k, kctx, state) => {
        const input = call.body.secret === undefined ? null : secretFromBody(call.body.secret, state, true);
        const change = ops.updateKey(k, kctx, kid, { secret: input?.secret, label: stringField(call.body, 'label'), expires: stringField(call.body, 'expires') });
        return { ...change, warnings: [...(input?.warnings ?? []), ...change.warnings] };
      }, () => kid);
    },

    async 'keys.rotate'(call) {
      const kid = keyId(call);
      const newId = call.body.newId === undefined ? undefined : checkId(call.body.newId, 'new key id');
      const grace = intField(call.body, 'graceDays', 0);
      let added = '';
      return run(call, ['secret', 'newId', 'graceDays', 'providerKeyId'], (k, kctx, state) => {
        const input = secretFromBody(call.body.secret, state);
        const graceDays = grace ?? state.settings?.defaults?.keyRotationGraceDays ?? 7;
        const change = ops.rotateKey(k, kctx, { from: kid, newId, secret: input.secret, graceDays, providerKeyId: stringField(call.body, 'providerKeyId') });
        added = change.keyring.keys[change.keyring.keys.length - 1].id;
        return { ...change, warnings: [...input.warnings, ...change.warnings] };
      }, () => added);
    },

    'keys.suspend': simple(ops.suspendKey),
    'keys.activate': simple(ops.activateKey),
    'keys.revoke': simple(ops.revokeKey),
    'keys.default': simple(ops.setDefaultKey),

    async 'keys.delete'(call) {
      const kid = keyId(call);
      const force = call.body.force === true || call.query.force === 'true';
      return run(call, ['force'], (k, kctx) => ops.deleteKey(k, kctx, kid, force), () => undefined);
    },
  };
}
