// Each subscription's signing secrets, kept in the vault like provider keys: secrets/webhook-
// <name>.yaml, a SOPS file in the keyring format (docs/vault.md) whose keys hold one credential,
// `signingSecret` (whsec_...). The loader decrypts it into the snapshot's keyrings under
// `webhook-<name>`. Rotation is the keyring's: the new secret becomes the default, the old one
// retires after an overlap during which deliveries carry both signatures.
import type { ConfigSnapshot } from '../config/snapshot.ts';
import { addKey, retireDue, rotateKey, type Keyring, type KeyringChange, type KeyringContext } from '../vault/keyring.ts';
import { openSecrets, sealSecrets } from '../vault/secrets-file.ts';
import type { Identities } from '../vault/sops/data-key.ts';
import { newSigningSecret } from './signature.ts';

export const SECRET_FIELD = 'signingSecret';
export const secretsName = (webhook: string) => `webhook-${webhook}`;
export const webhookSecretsPath = (webhook: string) => `secrets/webhook-${webhook}.yaml`;

/** The webhook a secrets file name belongs to (`webhook-<name>`), if it has that form. */
export function webhookOfSecrets(fileName: string): string | null {
  return fileName.startsWith('webhook-') && fileName.length > 8 ? fileName.slice(8) : null;
}

/** The secrets deliveries are signed with: the default first, then active and retiring ones still in their overlap. */
export function signingSecrets(snapshot: Pick<ConfigSnapshot, 'keyrings'> | null, webhook: string, now: number): string[] {
  const ring = snapshot?.keyrings.get(secretsName(webhook));
  if (!ring) return [];
  const live = ring.keys.filter((k) => k.status === 'active' || (k.status === 'retiring' && (!k.retireAt || Date.parse(k.retireAt) > now)));
  live.sort((a, b) => Number(b.default === true) - Number(a.default === true) || (b.created ?? '').localeCompare(a.created ?? ''));
  const out: string[] = [];
  for (const k of live) {
    const s = ring.secretOf(k.id)?.[SECRET_FIELD];
    if (s) out.push(s);
  }
  return out;
}

export interface SealedSecret {
  /** The new file text (encrypted). */
  text: string;
  /** The new secret in clear: shown once, in the API answer that made it. */
  secret: string;
  message: string;
}

const context = (webhook: string, now: Date): KeyringContext => ({ provider: secretsName(webhook), now, mainField: SECRET_FIELD });

/**
 * A new secret for `webhook`: the first one (no file yet), or a rotation where the current
 * secret keeps signing for `graceHours` (0 drops it at once). Retiring secrets whose overlap is
 * over are revoked on the way.
 */
export async function newSecretFile(webhook: string, opts: { current: string | null; identities: Identities; recipients: string[]; now: Date; graceHours: number }): Promise<SealedSecret> {
  const secret = newSigningSecret();
  const ctx = context(webhook, opts.now);
  const opened = opts.current === null ? null : await openSecrets(opts.current, opts.identities);
  let keyring: Keyring = opened?.keyring ?? { keys: [] };
  keyring = retireDue(keyring, ctx)?.keyring ?? keyring;
  keyring = { keys: keyring.keys.filter((k) => k.status !== 'revoked') };
  const hasDefault = keyring.keys.some((k) => k.default && k.status === 'active');
  const change: KeyringChange = hasDefault
    ? rotateKey(keyring, ctx, { secret: { [SECRET_FIELD]: secret }, graceDays: opts.graceHours / 24 })
    : addKey(keyring, { ...ctx }, { id: keyring.keys.length === 0 ? 'primary' : undefined, secret: { [SECRET_FIELD]: secret } });
  const text = await sealSecrets(change.keyring, opts.recipients, opts.now, opened?.previous);
  return { text, secret, message: change.message.replace(/^keys: /, 'webhooks: secret ') };
}
