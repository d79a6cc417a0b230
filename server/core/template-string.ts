// `${namespace.name}` placeholders in template strings: parsing, checking and rendering.
// Pure: no I/O. Used by the validator (are references declared?) and by the proxy (render).

export const PLACEHOLDER = /\$\{([^}]*)\}/g;
const REFERENCE = /^(connection|secret|key|request)\.([A-Za-z][A-Za-z0-9_]*)$|^(model|body|timestamp|signature|url)$/;

export interface Placeholder {
  /** The whole `${...}` text. */
  raw: string;
  /** `connection`, `secret`, `key`, `request`, or the bare name (`model`). */
  namespace: string;
  /** Field name after the dot; empty for bare names. */
  name: string;
  /** Offset of `$` in the string. */
  index: number;
  valid: boolean;
}

export function placeholders(text: string): Placeholder[] {
  const out: Placeholder[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const inner = m[1].trim();
    const ref = REFERENCE.exec(inner);
    out.push({
      raw: m[0],
      namespace: ref ? (ref[1] ?? ref[3]) : inner,
      name: ref?.[2] ?? '',
      index: m.index ?? 0,
      valid: ref !== null,
    });
  }
  return out;
}

export type Values = Readonly<Record<string, Readonly<Record<string, string | number | boolean | undefined>> | string | undefined>>;

/**
 * Replaces placeholders with values. A placeholder whose value is missing is kept as it is
 * when `keepMissing` is set (partial rendering: connection now, secrets at request time),
 * and throws otherwise.
 */
export function render(text: string, values: Values, keepMissing = false): string {
  return text.replace(PLACEHOLDER, (raw, inner: string) => {
    const ref = REFERENCE.exec(inner.trim());
    let value: unknown;
    if (ref?.[1]) {
      const ns = values[ref[1]];
      value = ns && typeof ns === 'object' ? ns[ref[2]] : undefined;
    } else if (ref?.[3]) value = values[ref[3]];
    if (value === undefined || value === null) {
      if (keepMissing) return raw;
      throw new Error(`no value for ${raw}`);
    }
    return String(value);
  });
}
