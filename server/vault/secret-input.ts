// Turns what the owner piped on stdin into credential fields, checked against the provider's
// template: one bare value for single-credential providers, else JSON or `name=value` lines.
import type { ProviderTemplate } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { credentialFields } from '../config/secrets-check.ts';
import type { SecretValues } from './fingerprint.ts';

export interface SecretInput { secret: SecretValues; warnings: string[] }

export function parseSecretInput(text: string, def: ProviderTemplate, opts: { partial?: boolean; option?: string } = {}): SecretInput {
  const fields = credentialFields(def);
  const own = Object.keys((opts.option && def.authOptions?.[opts.option]?.credentials) || def.credentials || {});
  const raw = text.replace(/\r?\n$/, '');
  let secret: Record<string, string>;
  const trimmed = raw.trim();
  if (trimmed === '') throw new SilError('SIL_KEY_INPUT', 'no secret on stdin', { hint: 'pipe it in: `printf %s "$KEY" | sil keys add <provider>`' });
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new SilError('SIL_KEY_INPUT', 'stdin starts with { but is not valid JSON');
    }
    secret = Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  } else if (/^[A-Za-z][A-Za-z0-9_]*=/.test(trimmed) && trimmed.split('\n').every((l) => l.trim() === '' || /^[A-Za-z][A-Za-z0-9_]*=/.test(l))) {
    secret = Object.fromEntries(trimmed.split('\n').filter((l) => l.trim()).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  } else if (own.length === 1) {
    secret = { [own[0]]: trimmed };
  } else {
    throw new SilError('SIL_KEY_INPUT', `this provider has ${own.length} credential fields (${own.join(', ')}); name them`, { hint: 'pipe JSON like {"field": "value"} or name=value lines' });
  }
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(secret)) {
    if (!fields.has(name)) throw new SilError('SIL_KEY_INPUT', `"${name}" is not a credential of this provider`, { hint: `its credentials: ${[...fields.keys()].join(', ')}` });
    const pattern = def.credentials?.[name]?.pattern ?? (opts.option ? def.authOptions?.[opts.option]?.credentials?.[name]?.pattern : undefined);
    if (pattern && !new RegExp(pattern, 'u').test(value)) warnings.push(`${name} does not look like the expected format (${pattern}); stored anyway`);
  }
  if (!opts.partial) {
    for (const name of own) {
      const spec = ((opts.option && def.authOptions?.[opts.option]?.credentials) || def.credentials || {})[name];
      if (!spec?.optional && secret[name] === undefined) throw new SilError('SIL_KEY_INPUT', `missing credential "${name}"${spec?.title ? ` (${spec.title})` : ''}`);
    }
  }
  return { secret, warnings };
}

/** The credential whose last characters go into fingerprints: the first one the template names. */
export function mainField(def: ProviderTemplate): string {
  return Object.keys(def.credentials ?? {})[0] ?? 'key';
}
