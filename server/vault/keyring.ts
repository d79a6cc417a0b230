// The key lifecycle of one provider, as pure functions on its (decrypted) secrets file:
// add, update, rotate, activate, suspend, revoke, delete, set default, and retiring keys that
// reach the end of their grace period. Each returns the new file and a commit message.
import type { ProviderKey } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { fingerprint, type SecretValues } from './fingerprint.ts';

export type KeyStatus = ProviderKey['status'];
export interface Keyring { keys: ProviderKey[] }
export interface KeyringChange { keyring: Keyring; message: string; warnings: string[] }

export interface KeyringContext {
  provider: string;
  now: Date;
  /** The credential whose last characters go into fingerprints (the template's first). */
  mainField: string;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const clone = (k: Keyring): Keyring => ({ keys: k.keys.map((x) => ({ ...x, secret: x.secret ? { ...x.secret } : undefined })) });

function find(k: Keyring, provider: string, id: string | undefined): ProviderKey {
  const key = id ? k.keys.find((x) => x.id === id) : k.keys.find((x) => x.default);
  if (!key) {
    throw new SilError('SIL_KEY_NOT_FOUND', id ? `provider "${provider}" has no key "${id}"` : `provider "${provider}" has no default key`, {
      hint: `its keys: ${k.keys.map((x) => `${x.id} (${x.status})`).join(', ') || 'none'}; \`sil keys list ${provider}\``,
    });
  }
  return key;
}

/** Moves the default to another active key when `from` stops being usable. */
function handOverDefault(k: Keyring, from: ProviderKey, warnings: string[], provider: string): void {
  if (!from.default) return;
  delete from.default;
  const next = k.keys.find((x) => x !== from && x.status === 'active');
  if (next) {
    next.default = true;
    warnings.push(`"${next.id}" is now the default key`);
  } else warnings.push(`provider "${provider}" has no active key left: requests to it will fail until one is added or activated`);
}

function nextId(k: Keyring, base: string): string {
  const stem = base.replace(/-\d+$/, '');
  for (let n = 2; ; n++) if (!k.keys.some((x) => x.id === `${stem}-${n}`)) return `${stem}-${n}`;
}

export interface NewKey { id?: string; label?: string; secret: SecretValues; staged?: boolean; expires?: string; providerKeyId?: string }

export function addKey(current: Keyring, ctx: KeyringContext, input: NewKey): KeyringChange {
  const k = clone(current);
  const id = input.id ?? (k.keys.length === 0 ? 'primary' : nextId(k, 'key'));
  if (k.keys.some((x) => x.id === id)) throw new SilError('SIL_KEY_EXISTS', `provider "${ctx.provider}" already has a key "${id}"`);
  const status: KeyStatus = input.staged ? 'staged' : 'active';
  const key: ProviderKey = {
    id,
    ...(input.label ? { label: input.label } : {}),
    status,
    ...(status === 'active' && !k.keys.some((x) => x.default) ? { default: true } : {}),
    created: iso(ctx.now),
    ...(input.expires ? { expires: input.expires } : {}),
    ...(input.providerKeyId ? { providerKeyId: input.providerKeyId } : {}),
    fingerprint: fingerprint(input.secret, ctx.mainField),
    secret: { ...input.secret },
  };
  k.keys.push(key);
  return { keyring: k, message: `keys: add ${ctx.provider}/${id}${status === 'staged' ? ' (staged)' : ''}`, warnings: [] };
}

export function updateKey(current: Keyring, ctx: KeyringContext, id: string, change: { secret?: SecretValues; label?: string; expires?: string }): KeyringChange {
  const k = clone(current);
  const key = find(k, ctx.provider, id);
  if (key.status === 'revoked') throw new SilError('SIL_KEY_STATE', `key "${id}" is revoked`, { hint: 'add a new key instead' });
  if (change.secret) {
    key.secret = { ...key.secret, ...change.secret } as Record<string, string>;
    key.fingerprint = fingerprint(key.secret as SecretValues, ctx.mainField);
  }
  if (change.label !== undefined) key.label = change.label;
  if (change.expires !== undefined) key.expires = change.expires;
  key.updated = iso(ctx.now);
  return { keyring: k, message: `keys: update ${ctx.provider}/${id}${change.secret ? ' (new secret)' : ''}`, warnings: [] };
}

/** Overlap-safe rotation: the new key goes live now, the old one retires after the grace period. */
export function rotateKey(current: Keyring, ctx: KeyringContext, input: { from?: string; newId?: string; secret: SecretValues; graceDays: number; providerKeyId?: string }): KeyringChange {
  const k = clone(current);
  const old = find(k, ctx.provider, input.from);
  if (old.status === 'revoked') throw new SilError('SIL_KEY_STATE', `key "${old.id}" is revoked; add a new key instead`);
  const id = input.newId ?? nextId(k, old.id);
  if (k.keys.some((x) => x.id === id)) throw new SilError('SIL_KEY_EXISTS', `provider "${ctx.provider}" already has a key "${id}"`);
  const wasDefault = old.default === true;
  delete old.default;
  const retireAt = new Date(ctx.now.getTime() + input.graceDays * 86_400_000);
  old.rotated = iso(ctx.now);
  if (input.graceDays > 0) {
    old.status = 'retiring';
    old.retireAt = iso(retireAt);
  } else {
    old.status = 'revoked';
    old.revokedAt = iso(ctx.now);
    delete old.secret;
  }
  k.keys.push({
    id,
    ...(old.label ? { label: old.label } : {}),
    status: 'active',
    ...(wasDefault || !k.keys.some((x) => x.default) ? { default: true } : {}),
    created: iso(ctx.now),
    rotated: iso(ctx.now),
    replaces: old.id,
    ...(input.providerKeyId ? { providerKeyId: input.providerKeyId } : {}),
    fingerprint: fingerprint(input.secret, ctx.mainField),
    secret: { ...input.secret },
  });
  const when = input.graceDays > 0 ? `${old.id} retires ${old.retireAt}` : `${old.id} revoked`;
  return { keyring: k, message: `keys: rotate ${ctx.provider}/${old.id} -> ${id} (${when})`, warnings: [] };
}

export function activateKey(current: Keyring, ctx: KeyringContext, id: string): KeyringChange {
  const k = clone(current);
  const key = find(k, ctx.provider, id);
  if (key.status === 'revoked') throw new SilError('SIL_KEY_STATE', `key "${id}" is revoked and cannot be activated`, { hint: 'add a new key' });
  if (key.status === 'active') throw new SilError('SIL_KEY_STATE', `key "${id}" is already active`);
  key.status = 'active';
  delete key.retireAt;
  if (!k.keys.some((x) => x.default)) key.default = true;
  return { keyring: k, message: `keys: activate ${ctx.provider}/${id}`, warnings: [] };
}

export function suspendKey(current: Keyring, ctx: KeyringContext, id: string): KeyringChange {
  const k = clone(current);
  const key = find(k, ctx.provider, id);
  if (key.status === 'revoked' || key.status === 'suspended') throw new SilError('SIL_KEY_STATE', `key "${id}" is ${key.status}`);
  const warnings: string[] = [];
  key.status = 'suspended';
  handOverDefault(k, key, warnings, ctx.provider);
  return { keyring: k, message: `keys: suspend ${ctx.provider}/${id}`, warnings };
}

export function revokeKey(current: Keyring, ctx: KeyringContext, id: string): KeyringChange {
  const k = clone(current);
  const key = find(k, ctx.provider, id);
  if (key.status === 'revoked') throw new SilError('SIL_KEY_STATE', `key "${id}" is already revoked`);
  const warnings: string[] = [];
  key.status = 'revoked';
  key.revokedAt = iso(ctx.now);
  delete key.retireAt;
  delete key.secret;
  handOverDefault(k, key, warnings, ctx.provider);
  return { keyring: k, message: `keys: revoke ${ctx.provider}/${id}`, warnings };
}

export function deleteKey(current: Keyring, ctx: KeyringContext, id: string, force = false): KeyringChange {
  const k = clone(current);
  const key = find(k, ctx.provider, id);
  if (key.status !== 'revoked' && !force) {
    throw new SilError('SIL_KEY_STATE', `key "${id}" is ${key.status}; delete removes it from the file`, { hint: 'revoke it first (`sil keys revoke`), or pass --force' });
  }
  const warnings: string[] = [];
  handOverDefault(k, key, warnings, ctx.provider);
  k.keys = k.keys.filter((x) => x !== key);
  return { keyring: k, message: `keys: delete ${ctx.provider}/${id}`, warnings };
}

export function setDefaultKey(current: Keyring, ctx: KeyringContext, id: string): KeyringChange {
  const k = clone(current);
  const key = find(k, ctx.provider, id);
  if (key.status !== 'active') throw new SilError('SIL_KEY_STATE', `key "${id}" is ${key.status}; only an active key can be the default`, { hint: `\`sil keys activate ${ctx.provider} ${id}\` first` });
  for (const x of k.keys) delete x.default;
  key.default = true;
  return { keyring: k, message: `keys: default ${ctx.provider}/${id}`, warnings: [] };
}

/** Rotation without a new secret: a staged key becomes the active default, the old default retires. */
export function promoteStaged(current: Keyring, ctx: KeyringContext, stagedId: string, graceDays: number): KeyringChange {
  const k = clone(current);
  const staged = find(k, ctx.provider, stagedId);
  if (staged.status !== 'staged') throw new SilError('SIL_KEY_STATE', `key "${stagedId}" is ${staged.status}, not staged`);
  const old = k.keys.find((x) => x.default);
  staged.status = 'active';
  staged.default = true;
  staged.rotated = iso(ctx.now);
  if (old) {
    delete old.default;
    old.status = 'retiring';
    old.rotated = iso(ctx.now);
    old.retireAt = iso(new Date(ctx.now.getTime() + Math.max(graceDays, 0) * 86_400_000));
    staged.replaces = old.id;
  }
  return { keyring: k, message: `keys: promote ${ctx.provider}/${stagedId}${old ? ` (rotation due; ${old.id} retires ${old.retireAt})` : ''}`, warnings: [] };
}

/** Revokes retiring keys whose grace period is over; null when none is. */
export function retireDue(current: Keyring, ctx: KeyringContext): KeyringChange | null {
  const k = clone(current);
  const due = k.keys.filter((x) => x.status === 'retiring' && x.retireAt && Date.parse(x.retireAt) <= ctx.now.getTime());
  if (due.length === 0) return null;
  for (const key of due) {
    key.status = 'revoked';
    key.revokedAt = iso(ctx.now);
    delete key.retireAt;
    delete key.secret;
  }
  return { keyring: k, message: `keys: retire ${due.map((x) => `${ctx.provider}/${x.id}`).join(', ')} (grace period over)`, warnings: [] };
}

/** Days until an active key is due for rotation (negative when overdue). */
export function rotationDueInDays(key: ProviderKey, periodDays: number, now: Date): number {
  const since = Date.parse(key.rotated ?? key.created);
  return Math.floor((since + periodDays * 86_400_000 - now.getTime()) / 86_400_000);
}
