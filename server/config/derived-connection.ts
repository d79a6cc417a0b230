// Connection fields derived from a credential (a field spec's `derive: {from, pattern}`):
// Mailchimp's data center is the API key's suffix (`...-us21` → `us21`). Secrets are not known
// when a commit is compiled, so the value is worked out per key when a request is rendered, and
// only for fields the instance leaves empty. The derived value must match the field's own
// `pattern` (it may land in a host name); otherwise the field keeps its default, or stays unset.
// Pure; results are remembered per (connection, secret) object pair, both frozen per snapshot.
import type { ProviderTemplate } from '../../schemas/types.gen.ts';

export type ConnectionValues = Readonly<Record<string, string | number | boolean>>;

export interface DerivedField {
  name: string;
  /** The credential read. */
  from: string;
  /** `derive.pattern`: its first capturing group is the value. */
  regex: RegExp;
  /** The field's own `pattern`, which the value must match. */
  check?: RegExp;
}

function regExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined; // the template check reports it
    }
  }
}

/** The derived fields of `def` that the instance's `given` connection leaves empty; undefined when none. */
export function derivedFields(def: Pick<ProviderTemplate, 'connection'>, given: Readonly<Record<string, unknown>> | undefined): readonly DerivedField[] | undefined {
  const out: DerivedField[] = [];
  for (const [name, spec] of Object.entries(def.connection ?? {})) {
    if (!spec.derive || (given?.[name] !== undefined && given[name] !== '')) continue;
    const regex = regExp(spec.derive.pattern);
    if (!regex) continue;
    const check = spec.pattern === undefined ? undefined : regExp(spec.pattern);
    out.push({ name, from: spec.derive.from, regex, ...(check ? { check } : {}) });
  }
  return out.length > 0 ? Object.freeze(out) : undefined;
}

/** The value `field` takes from `secret`, or undefined when the credential is absent or does not match. */
export function deriveValue(field: DerivedField, secret: Readonly<Record<string, string>> | undefined): string | undefined {
  const source = secret && Object.hasOwn(secret, field.from) ? secret[field.from] : undefined;
  if (typeof source !== 'string') return undefined;
  const value = field.regex.exec(source)?.[1];
  if (value === undefined || value === '') return undefined;
  if (field.check && !field.check.test(value)) return undefined;
  return value;
}

const memo = new WeakMap<object, WeakMap<object, ConnectionValues>>();

/**
 * The connection values to render a request with: `connection`, plus each derived field the key's
 * `secret` yields (replacing a default). `connection` itself when nothing is derived.
 */
export function withDerived(connection: ConnectionValues, derived: readonly DerivedField[] | undefined, secret: Readonly<Record<string, string>> | undefined): ConnectionValues {
  if (!derived || !secret) return connection;
  let bySecret = memo.get(connection);
  if (!bySecret) memo.set(connection, (bySecret = new WeakMap()));
  let values = bySecret.get(secret);
  if (!values) {
    const out: Record<string, string | number | boolean> = { ...connection };
    for (const field of derived) {
      const value = deriveValue(field, secret);
      if (value !== undefined) out[field.name] = value;
    }
    values = Object.freeze(out);
    bySecret.set(secret, values);
  }
  return values;
}
