// The top-level `sops:` block of a file.
import { SilError } from '../../errors.ts';
import { ruleOf, type Rule } from './rules.ts';
import type { AgeEntry } from './data-key.ts';

export interface SopsMetadata {
  age: AgeEntry[];
  lastmodified: string;
  mac: string;
  version: string;
  rule: Rule;
  macOnlyEncrypted: boolean;
}

const nonEmpty = (v: unknown) => Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== '';

export function readMetadata(sops: unknown): SopsMetadata {
  if (!sops || typeof sops !== 'object' || Array.isArray(sops)) {
    throw new SilError('SIL_VAULT_FORMAT', 'the file has no `sops:` block: it is not SOPS-encrypted');
  }
  const m = sops as Record<string, unknown>;
  if (!m.version || !m.mac) throw new SilError('SIL_VAULT_FORMAT', 'the `sops:` block lacks `version` or `mac`: the file is not encrypted');
  if (nonEmpty(m.key_groups) || nonEmpty(m.shamir_threshold)) {
    throw new SilError('SIL_VAULT_UNSUPPORTED', 'the file splits its data key with key_groups / shamir_threshold');
  }
  const age = Array.isArray(m.age) ? m.age : [];
  const entries: AgeEntry[] = age
    .filter((a): a is Record<string, unknown> => !!a && typeof a === 'object')
    .map((a) => ({ recipient: String(a.recipient ?? ''), enc: String(a.enc ?? '') }));
  if (entries.length === 0) throw new SilError('SIL_VAULT_UNSUPPORTED', 'the file has no age recipients (only KMS / PGP keys?)');
  return {
    age: entries,
    lastmodified: String(m.lastmodified ?? ''),
    mac: String(m.mac),
    version: String(m.version),
    rule: ruleOf(m),
    macOnlyEncrypted: m.mac_only_encrypted === true,
  };
}

/** `lastmodified` as sops writes it: RFC 3339, UTC, whole seconds. */
export function sopsTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
