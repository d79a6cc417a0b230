// The hub's own age identity (data/keys/age.key) and the recipients secrets are encrypted to.
import { readFile } from 'node:fs/promises';
import { identityToRecipient } from 'age-encryption';
import { SilError } from '../errors.ts';
import { parseIdentityFile, type Identities } from './sops/data-key.ts';
import type { HubSettings } from '../../schemas/types.gen.ts';

export interface HubIdentity { identities: Identities; recipient: string }

export async function loadHubIdentity(path: string): Promise<HubIdentity> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SilError('SIL_VAULT_IDENTITY', `cannot read the hub's age identity ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
  }
  const identities = parseIdentityFile(text);
  if (identities.raw.length === 0) throw new SilError('SIL_VAULT_IDENTITY', `${path} holds no AGE-SECRET-KEY line`);
  return { identities, recipient: await identityToRecipient(identities.raw[0]) };
}

/** The hub's recipient first, then the owner's extra recipients from sil.yaml. */
export function recipientsFor(hubRecipient: string, settings: HubSettings | undefined): string[] {
  return [...new Set([hubRecipient, ...(settings?.vault?.recipients ?? [])])];
}
