// Text forms SOPS (Go) uses for plaintext bytes, so MACs and ciphertexts match the real tool.

/** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest round-trip digits, never an exponent. */
export function goFloat(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', expText] = m;
  const exp = Number(expText);
  const digits = lead + frac;
  if (exp >= 0) {
    const point = 1 + exp;
    return sign + (digits.length <= point ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`);
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(\.\d*)?(?:[ \t]*(Z|[-+]\d{1,2}(?::?\d{2})?))?)?$/;

/** A plain YAML scalar that Go's yaml.v3 reads as a timestamp (sops stores it with type time). */
export function isYamlTimestamp(text: string): boolean {
  return TIMESTAMP.test(text);
}

/** Go's time.Format(time.RFC3339) of a YAML timestamp: no fractional seconds, Z for UTC. */
export function goRfc3339(text: string): string {
  const m = TIMESTAMP.exec(text);
  if (!m) return text;
  const [, y, mo, d, h = '0', mi = '00', s = '00', , zone] = m;
  const p2 = (x: string) => x.padStart(2, '0');
  let offset = 'Z';
  if (zone && zone !== 'Z') {
    const z = /^([-+])(\d{1,2}):?(\d{2})?$/.exec(zone)!;
    const hh = p2(z[2]);
    const mm = z[3] ?? '00';
    offset = hh === '00' && mm === '00' ? 'Z' : `${z[1]}${hh}:${mm}`;
  }
  return `${y}-${p2(mo)}-${p2(d)}T${p2(h)}:${mi}:${s}${offset}`;
}
