// Checks a provider template (a catalog file or a custom provider's inline definition) beyond
// its schema: every ${connection.x} / ${secret.x} is declared, service ids are unique, and a
// path-auth template carries its secret in the base URL.
import type { HealthCheck, ProviderTemplate } from '../../schemas/types.gen.ts';
import { didYouMean } from '../core/suggest.ts';
import { placeholders } from '../core/template-string.ts';
import { issue, type ConfigIssue } from './issues.ts';
import type { ParsedFile } from './parse-file.ts';

type Segments = (string | number)[];

function* strings(value: unknown, at: Segments): Generator<[string, Segments]> {
  if (typeof value === 'string') yield [value, at];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* strings(value[i], [...at, i]);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, [...at, k]);
}

/** Parts of a template whose strings are not interpolated (prose, patterns, examples). */
const PROSE = new Set(['description', 'name', 'title', 'docs', 'sources', 'unconfirmed', 'note', 'pattern', 'example', 'default', 'enum', 'models']);

/** Which request-time placeholders a string may use, by where it sits in the template. */
function requestTimeNames(at: Segments): { names: Set<string>; hint: string } {
  if (at[0] === 'webhookSignature') return { names: new Set(['body', 'timestamp', 'signature', 'url']), hint: '${body}, ${timestamp}, ${signature}, ${url}' };
  if (at[0] === 'rotation') return { names: new Set(['key', 'model']), hint: '${key.id}' };
  if (at.includes('stringToSign')) return { names: new Set(['request', 'model']), hint: '${request.method}, ${request.path}, ${request.body}, ${request.timestamp}' };
  return { names: new Set(['model']), hint: '${model}' };
}

export function templateIssues(tpl: ProviderTemplate, file: ParsedFile, base: Segments = []): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const where = (at: Segments) => file.at([...base, ...at]);
  const connection = new Set(Object.keys(tpl.connection ?? {}));
  connection.add('baseUrl');
  const credentialsOf = (option?: string): Set<string> =>
    new Set(Object.keys((option && tpl.authOptions?.[option]?.credentials) || tpl.credentials || {}));

  for (const [text, at] of strings(tpl, [])) {
    if (at.some((s) => typeof s === 'string' && PROSE.has(s))) continue;
    const option = at[0] === 'authOptions' ? String(at[1]) : undefined;
    const requestTime = requestTimeNames(at);
    for (const p of placeholders(text)) {
      const known = p.valid && (p.namespace === 'connection' || p.namespace === 'secret' || requestTime.names.has(p.namespace));
      if (!known) {
        out.push(issue(file.path, where(at), 'SIL_CONFIG_TEMPLATE', `placeholder ${p.raw} cannot be used here`, `use \${connection.<field>}, \${secret.<credential>} or ${requestTime.hint}`));
      } else if (p.namespace === 'connection' && !connection.has(p.name)) {
        out.push(issue(file.path, where(at), 'SIL_CONFIG_TEMPLATE', `${p.raw} is not a declared connection field`, `declare "${p.name}" under connection:`));
      } else if (p.namespace === 'secret') {
        if (!credentialsOf(option).has(p.name)) {
          out.push(issue(file.path, where(at), 'SIL_CONFIG_TEMPLATE', `${p.raw} is not a declared credential`, `declare "${p.name}" under credentials:`));
        }
      }
    }
  }

  const ids = new Set<string>();
  tpl.services.forEach((s, i) => {
    if (ids.has(s.id)) out.push(issue(file.path, where(['services', i, 'id']), 'SIL_CONFIG_TEMPLATE', `service id "${s.id}" appears twice`, 'give each service its own id'));
    ids.add(s.id);
  });
  const checks: [HealthCheck | undefined, Segments][] = [[tpl.healthCheck, ['healthCheck']], ...Object.entries(tpl.authOptions ?? {}).map(([id, o]): [HealthCheck | undefined, Segments] => [o.healthCheck, ['authOptions', id, 'healthCheck']])];
  for (const [check, at] of checks) {
    if (check?.service !== undefined && !ids.has(check.service)) {
      out.push(issue(file.path, where([...at, 'service']), 'SIL_CONFIG_TEMPLATE', `the health check uses service "${check.service}", which the template does not have${didYouMean(check.service, ids)}`, `name one of: ${[...ids].join(', ')}`));
    }
  }

  if (tpl.rotation) {
    const credentials = new Set(Object.keys(tpl.credentials ?? {}));
    const extract = Object.entries(tpl.rotation.create.extract);
    for (const [name, source] of extract) {
      const at = where(['rotation', 'create', 'extract', name]);
      if (name !== 'providerKeyId' && !credentials.has(name)) out.push(issue(file.path, at, 'SIL_CONFIG_TEMPLATE', `rotation extracts "${name}", which is not a credential`, `extract credentials (${[...credentials].join(', ')}) or providerKeyId`));
      if (!source.startsWith('body:')) out.push(issue(file.path, at, 'SIL_CONFIG_TEMPLATE', `rotation reads "${name}" from ${source.split(':')[0]}: only body: sources are supported`, 'use body:<dotted.path> of the JSON answer'));
    }
    if (!extract.some(([name]) => credentials.has(name))) out.push(issue(file.path, where(['rotation', 'create', 'extract']), 'SIL_CONFIG_TEMPLATE', 'the rotation recipe extracts no credential: the new key could not be stored', 'extract at least one credential field'));
  }

  out.push(...derivedFieldIssues(tpl, file.path, where), ...algorithmIssues(tpl, file.path, where));

  const schemes = [tpl.auth, ...Object.values(tpl.authOptions ?? {}).map((o) => o.auth)];
  if (schemes.some((a) => a.type === 'path')) {
    const urls = [tpl.baseUrl, ...tpl.services.map((s) => s.baseUrl ?? '')];
    if (!urls.some((u) => placeholders(u).some((p) => p.namespace === 'secret'))) {
      out.push(issue(file.path, where(['baseUrl']), 'SIL_CONFIG_TEMPLATE', 'auth type "path" needs the secret in the base URL', 'write it as e.g. https://api.telegram.org/bot${secret.botToken}'));
    }
  }
  return out;
}

type Where = (at: Segments) => ReturnType<ParsedFile['at']>;


/** `derive` only on connection fields, reading a declared credential with a pattern that has a capturing group. */
function derivedFieldIssues(tpl: ProviderTemplate, path: string, where: Where): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const credentials = new Set([...Object.keys(tpl.credentials ?? {}), ...Object.values(tpl.authOptions ?? {}).flatMap((o) => Object.keys(o.credentials ?? {}))]);
  for (const [name, spec] of Object.entries(tpl.credentials ?? {})) {
    if (spec.derive) out.push(issue(path, where(['credentials', name, 'derive']), 'SIL_CONFIG_TEMPLATE', `credential "${name}" has \`derive\`, which only connection fields take`, 'move the field under connection: or remove derive'));
  }
  for (const [name, spec] of Object.entries(tpl.connection ?? {})) {
    if (!spec.derive) continue;
    const at = where(['connection', name, 'derive']);
    if (!credentials.has(spec.derive.from)) out.push(issue(path, at, 'SIL_CONFIG_TEMPLATE', `connection.${name} is derived from "${spec.derive.from}", which is not a declared credential`, `use one of: ${[...credentials].join(', ') || '(no credentials declared)'}`));
    let groups = -1;
    try {
      groups = new RegExp(`${spec.derive.pattern}|`, 'u').exec('')!.length - 1;
    } catch {
      out.push(issue(path, at, 'SIL_CONFIG_TEMPLATE', `connection.${name}.derive.pattern is not a valid regular expression`, 'write a JavaScript regular expression with one capturing group, e.g. -([a-z]+[0-9]+)$'));
    }
    if (groups === 0) out.push(issue(path, at, 'SIL_CONFIG_TEMPLATE', `connection.${name}.derive.pattern has no capturing group`, 'put the part that is the value in parentheses, e.g. -([a-z]+[0-9]+)$'));
  }
  return out;
}

const ALGORITHMS = new Set(['sha1', 'sha256', 'sha512']);

/** An hmac-signature `algorithm` written as ${connection.x}: the field must list only sha1, sha256, sha512. */
function algorithmIssues(tpl: ProviderTemplate, path: string, where: Where): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const check = (auth: { type: string; algorithm?: string } | undefined) => {
    if (auth?.type !== 'hmac-signature' || !auth.algorithm || ALGORITHMS.has(auth.algorithm)) return;
    const name = placeholders(auth.algorithm)[0]?.name ?? '';
    const spec = tpl.connection?.[name];
    if (!spec) return; // the placeholder check reports an undeclared field
    const values = spec.enum ?? [];
    if (values.length === 0 || values.some((v) => !ALGORITHMS.has(String(v)))) {
      const pos = where(['connection', name]);
      out.push(issue(path, pos, 'SIL_CONFIG_TEMPLATE', `connection.${name} picks the hmac-signature algorithm, so its enum must list only sha1, sha256, sha512`, 'e.g. enum: [sha1, sha256] with default: sha1'));
    }
  };
  check(tpl.auth);
  for (const o of Object.values(tpl.authOptions ?? {})) check(o.auth);
  for (const s of tpl.services) check(s.auth);
  return out;
}
