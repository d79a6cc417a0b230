// Automatic key rotation with a template's `rotation` recipe: the provider creates the new key
// (authenticated with the current one), the hub stores it as the new default, and once the grace
// period is over the old key is revoked at the provider (authenticated with the current default
// key) and then in the file.
//
// Order matters, and needs nothing new in the secrets file:
// - a key is created at the provider before it is committed; when the commit fails the new key
//   is revoked at the provider again (with its own secret), so no live key is left that nobody holds;
// - a key is revoked at the provider before the file says `revoked`; when the commit fails the
//   file still says `retiring` and the next run revokes again (a 404 counts as already revoked).
//   So with this module a key marked revoked is dead at the provider too. (Keys revoked in the
//   file only, by `sil keys revoke` or `retire-due` without --auto, are not tracked: see
//   revokeWithRecipe for those.)
import type { ProviderKey } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { changeKeys, keyringContext, providerState, providersWithSecrets, type ProviderState, type VaultContext } from './key-ops.ts';
import { retireDue, revokeKey, rotateKey, type Keyring, type KeyringChange } from './keyring.ts';
import { checkRecipe, createKeyWithRecipe, recipeProvider, revokeKeyWithRecipe, type FetchLike, type RecipeProvider } from './rotation-recipe.ts';
import type { SecretValues } from './fingerprint.ts';

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function asSilError(err: unknown): SilError {
  return err instanceof SilError ? err : new SilError('SIL_INTERNAL', (err as Error)?.message ?? String(err), { cause: err });
}

function recipeOf(state: ProviderState, providerId: string): RecipeProvider {
  const provider = recipeProvider({ ...state.provider, id: providerId }, state.definition);
  checkRecipe(state.definition, provider);
  return provider;
}

/** The key whose secret authenticates key management: the default, else another active key, else `fallback`. */
function authKey(keyring: Keyring, exclude: ReadonlySet<string>, fallback?: ProviderKey): ProviderKey | undefined {
  const usable = (k: ProviderKey) => k.status === 'active' && k.secret !== undefined && !exclude.has(k.id);
  return keyring.keys.find((k) => k.default && usable(k)) ?? keyring.keys.find(usable) ?? (fallback?.secret ? fallback : undefined);
}

const secretOf = (k: ProviderKey) => k.secret as SecretValues;

export interface AutoRotateOptions {
  /** Days the old key keeps working; default keyRotationGraceDays of sil.yaml, else 7. */
  graceDays?: number;
  fetch?: FetchLike;
  /** The key to rotate out; default the provider's default key. */
  from?: string;
  newId?: string;
}

export interface AutoRotateResult {
  /** The rotation commit, then (grace 0) the commit that revoked the old key. */
  commits: { commit: string; message: string }[];
  oldId: string;
  newId: string;
  providerKeyId?: string;
  warnings: string[];
}

/**
 * Creates a new key at the provider with the recipe (authenticated with the key it replaces)
 * and commits the rotation: one commit `keys: rotate <provider>/<old> -> <new> (automatic, ...)`.
 * With a grace of 0 days the old key is then revoked at the provider and in the file (a second
 * commit), never before the new key is stored.
 */
export async function autoRotate(ctx: VaultContext, providerId: string, opts: AutoRotateOptions = {}): Promise<AutoRotateResult> {
  const state = await providerState(ctx, providerId);
  const provider = recipeOf(state, providerId);
  const graceDays = opts.graceDays ?? state.settings?.defaults?.keyRotationGraceDays ?? 7;
  if (!Number.isInteger(graceDays) || graceDays < 0) throw new SilError('SIL_USAGE', 'the grace period is a whole number of days (0 or more)');

  // A dry run first: a key that cannot rotate (revoked, unknown, the new id taken) fails here,
  // before the provider creates a key.
  const kctx = keyringContext(ctx, state, providerId);
  const old = opts.from ? state.keyring.keys.find((k) => k.id === opts.from) : state.keyring.keys.find((k) => k.default);
  const dry = rotateKey(state.keyring, kctx, { from: opts.from, newId: opts.newId, secret: old?.secret ? secretOf(old) : {}, graceDays: Math.max(graceDays, 1) });
  const added = dry.keyring.keys[dry.keyring.keys.length - 1];
  const oldId = added.replaces as string;
  const newId = added.id;
  const current = state.keyring.keys.find((k) => k.id === oldId) as ProviderKey;
  if (!current.secret) throw new SilError('SIL_KEY_STATE', `key "${oldId}" of provider "${providerId}" holds no secret to authenticate the create request`);

  const created = await createKeyWithRecipe({ definition: state.definition, provider, currentSecret: secretOf(current), currentKey: current, fetch: opts.fetch, now: ctx.now });

  let rotation: { commit: string; change: KeyringChange } | null;
  try {
    rotation = await changeKeys(ctx, providerId, (k, kc) => {
      const change = rotateKey(k, kc, { from: oldId, newId, secret: created.secret, graceDays: Math.max(graceDays, 1), providerKeyId: created.providerKeyId });
      const was = change.keyring.keys.find((x) => x.id === oldId) as ProviderKey;
      // Grace 0: retiring now; revoked below once the provider has revoked it.
      if (graceDays === 0) was.retireAt = iso(kc.now);
      return { ...change, message: `keys: rotate ${providerId}/${oldId} -> ${newId} (automatic, ${oldId} retires ${graceDays === 0 ? 'now' : was.retireAt})` };
    });
  } catch (err) {
    const e = asSilError(err);
    let cleanup = 'revoke it at the provider by hand';
    if (created.providerKeyId) {
      try {
        await revokeKeyWithRecipe({ definition: state.definition, provider, authSecret: created.secret, oldKey: { id: newId, providerKeyId: created.providerKeyId }, fetch: opts.fetch, now: ctx.now });
        cleanup = 'it was revoked at the provider again';
      } catch {
        // reported below
      }
    }
    const id = created.providerKeyId ? ` (provider key id ${created.providerKeyId})` : '';
    throw new SilError(e.code, `${e.message}; the key the provider created${id} was not stored: ${cleanup}`, { hint: e.hint, details: e.details, cause: err });
  }
  if (!rotation) throw new SilError('SIL_INTERNAL', 'the rotation changed nothing');
  const result: AutoRotateResult = {
    commits: [{ commit: rotation.commit, message: rotation.change.message }],
    oldId,
    newId,
    ...(created.providerKeyId ? { providerKeyId: created.providerKeyId } : {}),
    warnings: [...rotation.change.warnings],
  };
  if (graceDays === 0) {
    const retired = await revokeRetiredWithRecipe(ctx, providerId, { fetch: opts.fetch, only: [oldId] });
    if (retired.commit) result.commits.push({ commit: retired.commit, message: retired.message as string });
    result.warnings.push(...retired.warnings);
    for (const f of retired.failed) result.warnings.push(`${oldId} is retiring but was not revoked at the provider: ${f.error.message}; \`sil keys retire-due --auto\` tries again`);
  }
  return result;
}

export interface RevokeRetiredOptions {
  fetch?: FetchLike;
  /** The time the grace periods are measured against; default ctx.now(). */
  now?: Date;
  /** Only these keys (autoRotate with a grace of 0). */
  only?: readonly string[];
}

export interface RevokeRetiredResult {
  commit: string | null;
  message: string | null;
  /** Keys revoked at the provider and in the file; alreadyRevoked: the provider answered 404. */
  revoked: { id: string; alreadyRevoked: boolean }[];
  /** Keys that stay retiring: the provider refused, or nothing could authenticate the request. */
  failed: { id: string; error: SilError }[];
  warnings: string[];
}

/**
 * Revokes, at the provider first and then in the file (one commit), every retiring key whose
 * grace period is over. The revoke requests are authenticated with the current default key (a
 * retiring key authenticates its own revocation only when no active key is left).
 */
export async function revokeRetiredWithRecipe(ctx: VaultContext, providerId: string, opts: RevokeRetiredOptions = {}): Promise<RevokeRetiredResult> {
  const now = opts.now ?? ctx.now();
  const vctx: VaultContext = { ...ctx, now: () => now };
  const state = await providerState(vctx, providerId);
  const provider = recipeOf(state, providerId);
  const due = state.keyring.keys.filter(
    (k) => k.status === 'retiring' && k.retireAt !== undefined && Date.parse(k.retireAt) <= now.getTime() && (!opts.only || opts.only.includes(k.id)),
  );
  const out: RevokeRetiredResult = { commit: null, message: null, revoked: [], failed: [], warnings: [] };
  const dueIds = new Set(due.map((k) => k.id));
  for (const key of due) {
    const auth = authKey(state.keyring, dueIds, key);
    if (!auth) {
      out.failed.push({ id: key.id, error: new SilError('SIL_KEY_STATE', `no key of provider "${providerId}" holds a secret to authenticate revoking "${key.id}"`) });
      continue;
    }
    try {
      const r = await revokeKeyWithRecipe({ definition: state.definition, provider, authSecret: secretOf(auth), oldKey: key, fetch: opts.fetch, now: vctx.now });
      out.revoked.push({ id: key.id, alreadyRevoked: r.alreadyRevoked });
    } catch (err) {
      out.failed.push({ id: key.id, error: asSilError(err) });
    }
  }
  if (out.revoked.length === 0) return out;
  const r = await changeKeys(vctx, providerId, (k, kc) => revokeAll(k, kc, out.revoked.map((x) => x.id), (ids) => `keys: retire ${ids.map((id) => `${providerId}/${id}`).join(', ')} (grace period over, revoked at the provider)`));
  if (r) {
    out.commit = r.commit;
    out.message = r.change.message;
    out.warnings.push(...r.change.warnings);
  }
  return out;
}

/** revokeKey for each id not revoked in the file yet (it may have changed since it was read). */
function revokeAll(keyring: Keyring, kc: Parameters<typeof revokeKey>[1], ids: readonly string[], message: (ids: string[]) => string): KeyringChange | null {
  let ring = keyring;
  const warnings: string[] = [];
  const done: string[] = [];
  for (const id of ids) {
    const key = ring.keys.find((x) => x.id === id);
    if (!key || key.status === 'revoked') continue;
    const c = revokeKey(ring, kc, id);
    ring = c.keyring;
    warnings.push(...c.warnings);
    done.push(id);
  }
  return done.length ? { keyring: ring, message: message(done), warnings } : null;
}

/**
 * `sil keys revoke <provider> <key> --auto`: revokes the key at the provider, then in the file.
 * A key the file already calls revoked (revoked in the file only, by hand) is revoked at the
 * provider and nothing is committed.
 */
export async function revokeWithRecipe(ctx: VaultContext, providerId: string, keyId: string, opts: { fetch?: FetchLike } = {}): Promise<{ commit: string | null; message: string; alreadyRevoked: boolean; warnings: string[] }> {
  const state = await providerState(ctx, providerId);
  const provider = recipeOf(state, providerId);
  const key = state.keyring.keys.find((k) => k.id === keyId);
  if (!key) {
    throw new SilError('SIL_KEY_NOT_FOUND', `provider "${providerId}" has no key "${keyId}"`, { hint: `its keys: ${state.keyring.keys.map((x) => `${x.id} (${x.status})`).join(', ') || 'none'}` });
  }
  const auth = authKey(state.keyring, new Set([keyId]), key);
  if (!auth) throw new SilError('SIL_KEY_STATE', `no key of provider "${providerId}" holds a secret to authenticate revoking "${keyId}"`, { hint: 'revoke it in the provider\'s console' });
  const r = await revokeKeyWithRecipe({ definition: state.definition, provider, authSecret: secretOf(auth), oldKey: key, fetch: opts.fetch, now: ctx.now });
  const at = r.alreadyRevoked ? 'the provider no longer knew it' : 'revoked at the provider';
  if (key.status === 'revoked') return { commit: null, message: `${providerId}/${keyId} was already revoked in the file; ${at}`, alreadyRevoked: r.alreadyRevoked, warnings: [] };
  const c = await changeKeys(ctx, providerId, (k, kc) => revokeAll(k, kc, [keyId], () => `keys: revoke ${providerId}/${keyId} (${at})`));
  return { commit: c?.commit ?? null, message: c?.change.message ?? `${providerId}/${keyId} was revoked in the file meanwhile; ${at}`, alreadyRevoked: r.alreadyRevoked, warnings: c?.change.warnings ?? [] };
}

export interface RetireAllResult {
  provider: string;
  commit: string | null;
  message: string | null;
  /** Set when the provider has no recipe: its due keys were revoked in the file only. */
  fileOnly?: boolean;
  failed: { id: string; error: SilError }[];
  warnings: string[];
}

/**
 * `sil keys retire-due --auto`: for every provider with a secrets file, revokes its due keys at
 * the provider through the recipe before revoking them in the file. Providers without a recipe
 * get today's file-only retire-due (reported with fileOnly). One provider's failure does not stop
 * the others.
 */
export async function retireAllDueWithRecipes(ctx: VaultContext, opts: { fetch?: FetchLike; now?: Date } = {}): Promise<RetireAllResult[]> {
  const now = opts.now ?? ctx.now();
  const vctx: VaultContext = { ...ctx, now: () => now };
  const out: RetireAllResult[] = [];
  for (const provider of await providersWithSecrets(ctx.gitdir)) {
    try {
      const state = await providerState(vctx, provider);
      if (!state.definition.rotation) {
        const r = await changeKeys(vctx, provider, (k, kc) => retireDue(k, kc));
        if (r) out.push({ provider, commit: r.commit, message: r.change.message, fileOnly: true, failed: [], warnings: r.change.warnings });
        continue;
      }
      const r = await revokeRetiredWithRecipe(vctx, provider, { fetch: opts.fetch, now });
      if (r.commit || r.failed.length) out.push({ provider, commit: r.commit, message: r.message, failed: r.failed, warnings: r.warnings });
    } catch (err) {
      out.push({ provider, commit: null, message: null, failed: [{ id: '*', error: asSilError(err) }], warnings: [] });
    }
  }
  return out;
}
