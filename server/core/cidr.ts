// IP addresses and CIDR ranges (IPv4 and IPv6) for the console and client IP allowlists and the
// trusted-proxy list. Pure and dependency-free.
//
// Every address is held as 128 bits in four unsigned 32-bit words, most significant first.
// An IPv4 address a.b.c.d is held as its IPv4-mapped IPv6 form ::ffff:a.b.c.d, and an IPv4
// range a.b.c.d/n as ::ffff:a.b.c.d/(96+n). So `10.0.0.1` and `::ffff:10.0.0.1` (what Node
// reports for an IPv4 peer on a dual-stack socket) are the same address, both match
// `10.0.0.0/8`, and `::/0` matches every address, IPv4 included (`0.0.0.0/0` only IPv4).
//
// Syntax decisions:
// - IPv4 is strict dotted decimal: exactly four parts of 0-255, no leading zeros (`010` is
//   octal to some parsers and decimal to others, so it is refused), no shorthand (`10.1`).
// - IPv6 follows RFC 4291: 1-4 hex digits per group, at most one `::` (which may stand for a
//   single zero group), an embedded IPv4 address only as the last 32 bits. Case-insensitive.
// - Zone ids (`fe80::1%eth0`): parseAddress strips them (a socket may report a link-local peer
//   with its interface; the interface does not change who the peer is), parseCidr refuses them
//   (a range in config is interface-independent).
// - No brackets, ports or surrounding whitespace: those belong to the caller (see client-ip.ts).
// - A range with bits set below its prefix (`10.1.2.3/8`) is accepted and normalised to its
//   network (`10.0.0.0/8`); `hostBitsSet` says so, and the config check warns about it.
// - A bare address is a single-address range: /32 for IPv4, /128 for IPv6.

/** An address as four unsigned 32-bit words, most significant first (IPv4 is ::ffff:a.b.c.d). */
export type Ip = readonly [number, number, number, number];

export interface CidrRange {
  /** 4 for IPv4 ranges (also when written as ::ffff:a.b.c.d/96+n), 6 otherwise. */
  family: 4 | 6;
  /** Prefix length in the family's terms: 0-32 for IPv4, 0-128 for IPv6. */
  prefix: number;
  /** The network address (host bits cleared), 128-bit form. */
  network: Ip;
  /** Canonical text: `10.0.0.0/8`, `2001:db8::/32`. */
  text: string;
  /** The written address had bits set below the prefix; they were cleared. */
  hostBitsSet: boolean;
}

export type CidrResult = { ok: true; range: CidrRange } | { ok: false; reason: string };

export interface CompiledAllowlist {
  /** No entries were given: `matches` allows every address, `contains` none. */
  readonly empty: boolean;
  readonly ranges: readonly CidrRange[];
  /** Entries that did not parse. They are left out, and never make the list count as empty. */
  readonly invalid: readonly string[];
  /** Allowlist semantics: true for every address when the list is empty, else `contains`. */
  matches(address: string | Ip): boolean;
  /** Set membership: the address is in one of the ranges (false for unparseable addresses). */
  contains(address: string | Ip): boolean;
}

const MAX_TEXT = 128;

// ---- parsing ----

const V4_PART = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const ZONE = /^[0-9A-Za-z_.~-]+$/;

/** An IPv4 address as an unsigned 32-bit number, or the reason it is not one. */
function parseV4(text: string): number | string {
  const parts = text.split('.');
  if (parts.length !== 4) return `"${text}" is not an IPv4 address (it needs four dot-separated numbers)`;
  let value = 0;
  for (const part of parts) {
    if (!V4_PART.test(part)) {
      if (/^0\d+$/.test(part)) return `IPv4 part "${part}" has a leading zero (write ${Number(part)}; some tools read it as octal)`;
      if (/^\d+$/.test(part)) return `IPv4 part "${part}" is larger than 255`;
      return `IPv4 part "${part}" is not a decimal number`;
    }
    value = value * 256 + Number(part);
  }
  return value;
}

/** Parses the colon-separated groups of one side of `::`; an IPv4 tail is allowed only when `last`. */
function v6Groups(side: string, last: boolean, out: number[]): string | undefined {
  if (side === '') return undefined;
  const parts = side.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.includes('.')) {
      if (!last || i !== parts.length - 1) return `an embedded IPv4 address ("${part}") may only be the last part of an IPv6 address`;
      const v4 = parseV4(part);
      if (typeof v4 === 'string') return v4;
      out.push(v4 >>> 16, v4 & 0xffff);
    } else if (HEX_GROUP.test(part)) {
      out.push(parseInt(part, 16));
    } else {
      return part === '' ? 'an IPv6 address has a stray ":" (only "::" may be empty)' : `IPv6 group "${part}" is not 1 to 4 hexadecimal digits`;
    }
  }
  return undefined;
}

function parseV6(text: string): Ip | string {
  const gap = text.indexOf('::');
  if (gap !== -1 && text.indexOf('::', gap + 1) !== -1) return 'an IPv6 address may contain "::" only once';
  const head: number[] = [];
  const tail: number[] = [];
  const problem = gap === -1
    ? v6Groups(text, true, head)
    : v6Groups(text.slice(0, gap), false, head) ?? v6Groups(text.slice(gap + 2), true, tail);
  if (problem) return problem;
  const count = head.length + tail.length;
  if (gap === -1 ? count !== 8 : count > 7) {
    return gap === -1
      ? `an IPv6 address has 8 groups of hex digits; this one has ${count} (use "::" for a run of zero groups)`
      : `an IPv6 address with "::" has at most 7 other groups; this one has ${count}`;
  }
  const groups = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  return [
    (groups[0] * 0x10000 + groups[1]),
    (groups[2] * 0x10000 + groups[3]),
    (groups[4] * 0x10000 + groups[5]),
    (groups[6] * 0x10000 + groups[7]),
  ];
}

/** An address in 128-bit form, or the reason it is not one. `zone` decides what `%zone` does. */
function parseIp(text: string, zone: 'strip' | 'refuse'): Ip | string {
  if (text === '') return 'empty address';
  if (text.length > MAX_TEXT) return 'too long for an address';
  if (/\s/.test(text)) return 'an address may not contain white space';
  if (text.startsWith('[')) return 'write an IPv6 address without brackets';
  if (/^[\d.]+:\d+$/.test(text)) return `"${text}" has a port; give the address only`;
  if (text.includes(':')) {
    const pct = text.indexOf('%');
    let bare = text;
    if (pct !== -1) {
      if (zone === 'refuse') return `a zone id ("${text.slice(pct)}") is not allowed here`;
      if (!ZONE.test(text.slice(pct + 1))) return `"${text.slice(pct)}" is not a zone id`;
      bare = text.slice(0, pct);
    }
    return parseV6(bare);
  }
  if (/^[\d.]+$/.test(text)) {
    const v4 = parseV4(text);
    return typeof v4 === 'string' ? v4 : [0, 0, 0xffff, v4];
  }
  return `"${text}" is not an IPv4 or IPv6 address`;
}

/**
 * An IPv4 or IPv6 address in 128-bit form (IPv4 as ::ffff:a.b.c.d), or undefined. A zone id
 * (`fe80::1%eth0`) is stripped; brackets, ports and white space are refused.
 */
export function parseAddress(text: string): Ip | undefined {
  const ip = parseIp(text, 'strip');
  return typeof ip === 'string' ? undefined : ip;
}

/** True for an IPv4 address (or IPv4-mapped IPv6 address) in 128-bit form. */
export function isIPv4(ip: Ip): boolean {
  return ip[0] === 0 && ip[1] === 0 && ip[2] === 0xffff;
}

// ---- formatting ----

function formatV4(word: number): string {
  return `${word >>> 24}.${(word >>> 16) & 0xff}.${(word >>> 8) & 0xff}.${word & 0xff}`;
}

/**
 * Canonical text of an address: dotted decimal for IPv4 and IPv4-mapped addresses, RFC 5952
 * for IPv6 (lower case, no leading zeros, the longest run of two or more zero groups as `::`).
 */
export function formatAddress(ip: Ip): string {
  if (isIPv4(ip)) return formatV4(ip[3]);
  const groups = ip.flatMap((w) => [w >>> 16, w & 0xffff]);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

// ---- ranges ----

/** The 128-bit mask of a prefix length (0-128), as four unsigned words. */
function maskOf(prefix128: number): Ip {
  const word = (i: number) => {
    const bits = Math.min(32, Math.max(0, prefix128 - 32 * i));
    return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  };
  return [word(0), word(1), word(2), word(3)];
}

function parsePrefix(text: string, max: number, family: string): number | string {
  if (!/^\d+$/.test(text)) return text === '' ? 'the prefix length after "/" is missing' : `prefix length "${text}" is not a decimal number`;
  if (text.length > 1 && text[0] === '0') return `prefix length "${text}" has a leading zero`;
  const n = Number(text);
  if (n > max) return `prefix length ${text} is out of range for ${family} (0-${max})`;
  return n;
}

/**
 * Parses `10.0.0.0/8`, `2001:db8::/32` or a bare address (a single-address range). Host bits
 * below the prefix are cleared (and flagged in `hostBitsSet`); zone ids are refused.
 */
export function parseCidr(text: string): CidrResult {
  if (typeof text !== 'string' || text === '') return { ok: false, reason: 'empty range' };
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const ip = parseIp(addressText, 'refuse');
  if (typeof ip === 'string') return { ok: false, reason: ip };
  const writtenAsV4 = !addressText.includes(':');
  let prefix128 = 128;
  if (slash !== -1) {
    const p = parsePrefix(text.slice(slash + 1), writtenAsV4 ? 32 : 128, writtenAsV4 ? 'IPv4' : 'IPv6');
    if (typeof p === 'string') return { ok: false, reason: p };
    prefix128 = writtenAsV4 ? 96 + p : p;
  }
  const mask = maskOf(prefix128);
  const network: Ip = [(ip[0] & mask[0]) >>> 0, (ip[1] & mask[1]) >>> 0, (ip[2] & mask[2]) >>> 0, (ip[3] & mask[3]) >>> 0];
  const hostBitsSet = network.some((w, i) => w !== ip[i]);
  const family = prefix128 >= 96 && isIPv4(network) ? 4 : 6;
  const prefix = family === 4 ? prefix128 - 96 : prefix128;
  return { ok: true, range: { family, prefix, network, text: `${formatAddress(network)}/${prefix}`, hostBitsSet } };
}

/**
 * Compiles a list of ranges for matching. The ranges are flattened into typed arrays once, so a
 * match is at most four AND-and-compare steps per range. An empty list allows every address
 * (`matches`) and contains none (`contains`); entries that do not parse are left out (and
 * listed in `invalid`), which fails closed: a list of only invalid entries matches nothing.
 */
export function compileAllowlist(entries: readonly string[]): CompiledAllowlist {
  const ranges: CidrRange[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const r = parseCidr(entry);
    if (r.ok) ranges.push(r.range);
    else invalid.push(entry);
  }
  // Int32 views: `word & mask` is a signed 32-bit integer, so signed storage compares directly.
  const masks = new Int32Array(ranges.length * 4);
  const networks = new Int32Array(ranges.length * 4);
  ranges.forEach((r, i) => {
    masks.set(maskOf(r.family === 4 ? r.prefix + 96 : r.prefix), i * 4);
    networks.set(r.network, i * 4);
  });
  const empty = entries.length === 0;
  const count = ranges.length * 4;

  function contains(address: string | Ip): boolean {
    const ip = typeof address === 'string' ? parseAddress(address) : address;
    if (!ip) return false;
    const a0 = ip[0], a1 = ip[1], a2 = ip[2], a3 = ip[3];
    for (let i = 0; i < count; i += 4) {
      if ((a0 & masks[i]) === networks[i] && (a1 & masks[i + 1]) === networks[i + 1]
        && (a2 & masks[i + 2]) === networks[i + 2] && (a3 & masks[i + 3]) === networks[i + 3]) return true;
    }
    return false;
  }

  return Object.freeze({
    empty,
    ranges: Object.freeze(ranges),
    invalid: Object.freeze(invalid),
    matches: (address: string | Ip) => empty || contains(address),
    contains,
  });
}
