// Checks of secrets/<provider-id>.yaml that need no decryption: it is SOPS-encrypted, every
// secret value is encrypted, its fields are the provider's credentials, ids and the default
// key make sense.
import type { ProviderTemplate, SecretsFile } from '../../schemas/types.gen.ts';
import { issue, type ConfigIssue } from './issues.ts';
import { isEncrypted } from '../vault/sops/value-cipher.ts';
import { didYouMean } from '../core/suggest.ts';
import type { ConfigFile } from './config-model.ts';

/** Every credential field a provider's keys may carry: the template's and its auth options'. */
export function credentialFields(def: ProviderTemplate): Map<string, { optional: boolean }> {
  const out = new Map<string, { optional: boolean }>();
  for (const [name, f] of Object.entries(def.credentials ?? {})) out.set(name, { optional: f.optional === true });
  for (const o of Object.values(def.authOptions ?? {})) {
    for (const [name] of Object.entries(o.credentials ?? {})) if (!out.has(name)) out.set(name, { optional: true });
  }
  return out;
}

/**
 * The credentials a key must carry: those of the instance's auth option when it declares its own
 * (Twilio's api-key: the SK sid and secret, not the auth token), else the template's.
 */
export function requiredCredentials(def: ProviderTemplate, authOption: string | undefined): string[] {
  const own = (authOption && def.authOptions?.[authOption]?.credentials) || def.credentials || {};
  return Object.entries(own).filter(([, f]) => f.optional !== true).map(([name]) => name);
}

export function secretsIssues(cf: ConfigFile<SecretsFile>, provider: string, def: ProviderTemplate | undefined, authOption?: string): ConfigIssue[] {
  const { value, file, path } = cf;
  const out: ConfigIssue[] = [];
  const sops = value.sops as Record<string, unknown>;
  if (!sops.version || !sops.mac) {
    out.push(issue(path, file.at(['sops']), 'SIL_VAULT_FORMAT', 'the sops: block has no version or mac: the file is not encrypted', 'write keys with `sil keys add` or encrypt the file with `sops --encrypt --in-place`'));
  }
  const fields = def ? credentialFields(def) : undefined;
  const ids = new Set<string>();
  let defaults = 0;
  value.keys.forEach((k, i) => {
    if (ids.has(k.id)) out.push(issue(path, file.at(['keys', i, 'id']), 'SIL_CONFIG_DUPLICATE_ID', `key id "${k.id}" appears twice`, 'give each key its own id'));
    ids.add(k.id);
    if (k.default) {
      defaults++;
      if (k.status !== 'active') out.push(issue(path, file.at(['keys', i, 'default']), 'SIL_CONFIG_SCHEMA', `the default key "${k.id}" is ${k.status}, not active`, 'make an active key the default: `sil keys default <provider> <key-id>`'));
    }
    for (const [name, v] of Object.entries(k.secret ?? {})) {
      if (v !== '' && !isEncrypted(v)) {
        out.push(issue(path, file.at(['keys', i, 'secret', name]), 'SIL_CONFIG_PLAINTEXT_SECRET', `keys[${i}].secret.${name} is in plain text`, 'secrets are stored encrypted: re-add it with `sil keys update` (reads stdin) or run `sops --encrypt --in-place` on the file'));
      }
      if (fields && !fields.has(name)) {
        out.push(issue(path, file.at(['keys', i, 'secret', name], true), 'SIL_CONFIG_REFERENCE', `"${name}" is not a credential of provider "${provider}"${didYouMean(name, fields.keys())}`, `its credentials: ${[...fields.keys()].join(', ') || 'none'}`));
      }
    }
    if (k.status === 'revoked' && k.secret && Object.keys(k.secret).length > 0) {
      out.push(issue(path, file.at(['keys', i, 'secret'], true), 'SIL_CONFIG_SCHEMA', `revoked key "${k.id}" still holds its secret`, '`sil keys revoke` removes it; a revoked key needs no secret', 'warning'));
    }
    if (def && k.status !== 'revoked') {
      for (const name of requiredCredentials(def, authOption)) {
        if (k.secret?.[name] === undefined) {
          out.push(issue(path, file.at(['keys', i, 'secret']), 'SIL_CONFIG_SCHEMA', `key "${k.id}" lacks the credential "${name}"`, `add it with \`sil keys update ${provider} ${k.id}\``));
        }
      }
    }
  });
  if (defaults > 1) out.push(issue(path, file.at(['keys']), 'SIL_CONFIG_SCHEMA', `${defaults} keys are marked default`, 'keep one default key'));
  return out;
}
