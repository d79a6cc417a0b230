// An independent reference SOPS decryptor (age recipients only), written from
// shared/reference/sops-format.md and nothing else. Tests use it to check that the
// files the vault writes are real SOPS files. Clarity over speed; not for production.
import { createDecipheriv, createHash, type Hash } from 'node:crypto';
import { Decrypter, armor } from 'age-encryption';
import { parseDocument, isCollection, isDocument, isPair, type Document } from 'yaml';

const ENC = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;

export interface ReferenceResult {
  data: unknown;
  /** Plaintexts of the encrypted YAML comments, in document order. */
  comments: string[];
  dataKey: Uint8Array;
  macOk: boolean;
}

interface SopsMeta {
  version?: unknown;
  mac?: unknown;
  lastmodified?: unknown;
  mac_only_encrypted?: unknown;
  key_groups?: unknown;
  age?: { recipient?: string; enc?: string }[] | null;
}

/** AES-256-GCM open of one parsed ENC[...] string; throws if the tag does not verify. */
function gcmOpen(key: Uint8Array, m: RegExpExecArray, aad: string): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(m[2], 'base64'), { authTagLength: 16 });
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(Buffer.from(m[3], 'base64'));
  return Buffer.concat([d.update(Buffer.from(m[1], 'base64')), d.final()]);
}

/** Go strconv.FormatFloat(v, 'f', -1, 64): shortest round-trip digits, never an exponent. */
export function goFormatFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  if (Object.is(n, -0)) return '-0';
  const [mantissa, e] = n.toExponential().split('e'); // toExponential() = shortest digits
  const neg = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const exp = Number(e);
  let s: string;
  if (exp < 0) s = '0.' + '0'.repeat(-exp - 1) + digits;
  else if (digits.length <= exp + 1) s = digits + '0'.repeat(exp + 1 - digits.length);
  else s = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  return (neg ? '-' : '') + s;
}

/** Decrypts one value; returns the typed value and the bytes the MAC hashes for it. */
function decryptValue(key: Uint8Array, m: RegExpExecArray, aad: string): [unknown, string | Buffer] {
  const raw = gcmOpen(key, m, aad);
  const pt = raw.toString('utf8');
  switch (m[4]) {
    case 'str':
    case 'time':
      return [pt, pt];
    case 'int':
      if (!/^[-+]?\d+$/.test(pt)) throw new Error(`bad int plaintext at ${aad}`);
      return [Number(pt), BigInt(pt).toString()];
    case 'float': {
      const n = Number(pt);
      if (pt.trim() === '' || Number.isNaN(n)) throw new Error(`bad float plaintext at ${aad}`);
      return [n, goFormatFloat(n)];
    }
    case 'bool':
      if (pt !== 'True' && pt !== 'False') throw new Error(`bad bool plaintext at ${aad}: ${pt}`);
      return [pt === 'True', pt];
    case 'bytes':
      return [raw, raw];
    default:
      throw new Error(`unknown ENC type "${m[4]}" at ${aad}`);
  }
}

/** MAC bytes of a value stored in clear text. */
function plainBytes(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFormatFloat(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  throw new Error(`unsupported clear-text value ${String(v)}`);
}

interface Walk { key: Uint8Array; hash: Hash; onlyEncrypted: boolean; paths: string[] }

/** Depth-first, file order: decrypts ENC strings, feeds the MAC, records collection paths. */
function walk(v: unknown, path: string, w: Walk): unknown {
  if (v === null || v === undefined) return v;
  if (Array.isArray(v)) {
    w.paths.push(path);
    return v.map((item) => walk(item, path, w)); // list indices are not part of the path
  }
  if (typeof v === 'object') {
    w.paths.push(path);
    const out: Record<string, unknown> = {};
    for (const [k, item] of v instanceof Map ? v : Object.entries(v)) {
      // JSON.parse moves integer-like keys first, which would silently change the MAC order.
      if (!(v instanceof Map) && /^(0|[1-9]\d*)$/.test(k)) throw new Error(`integer-like JSON key "${k}" not supported`);
      out[String(k)] = walk(item, `${path}${String(k)}:`, w);
    }
    return out;
  }
  const m = typeof v === 'string' ? ENC.exec(v) : null;
  if (m) {
    const [value, bytes] = decryptValue(w.key, m, path);
    w.hash.update(bytes);
    return value;
  }
  if (!w.onlyEncrypted) w.hash.update(plainBytes(v));
  return v;
}

function toPlain(v: unknown): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), toPlain(x)]));
  return Array.isArray(v) ? v.map(toPlain) : v;
}

/** Every comment line the yaml library kept (commentBefore / comment), in document order. */
function commentLines(node: unknown, out: string[] = []): string[] {
  if (!node || typeof node !== 'object') return out;
  const n = node as { commentBefore?: string | null; comment?: string | null };
  if (n.commentBefore) out.push(...n.commentBefore.split('\n'));
  if (isDocument(node)) commentLines(node.contents, out);
  else if (isPair(node)) (commentLines(node.key, out), commentLines(node.value, out));
  else if (isCollection(node)) for (const item of node.items) commentLines(item, out);
  if (n.comment) out.push(...n.comment.split('\n'));
  return out;
}

async function unwrapDataKey(entries: SopsMeta['age'], identities: string[]): Promise<Uint8Array> {
  for (const { enc } of entries ?? []) {
    for (const identity of identities) {
      const d = new Decrypter();
      d.addIdentity(identity);
      let key: Uint8Array;
      try {
        key = await d.decrypt(armor.decode(String(enc)));
      } catch {
        continue;
      }
      if (key.length !== 32) throw new Error(`unwrapped data key is ${key.length} bytes, not 32`);
      return key;
    }
  }
  throw new Error('no identity unwraps any sops.age[].enc entry');
}

export async function referenceDecrypt(text: string, format: 'yaml' | 'json', identities: string[]): Promise<ReferenceResult> {
  let doc: Document | undefined;
  let root: unknown;
  if (format === 'yaml') {
    doc = parseDocument(text);
    if (doc.errors.length) throw doc.errors[0];
    root = doc.toJS({ mapAsMap: true }); // Maps keep file order for every key
  } else {
    root = JSON.parse(text);
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new Error('top level must be a mapping');
  const top = root as Map<unknown, unknown> | Record<string, unknown>;
  const sops = toPlain(top instanceof Map ? top.get('sops') : top.sops) as SopsMeta | undefined;
  if (top instanceof Map) top.delete('sops');
  else delete top.sops;
  if (sops == null || sops.version == null || sops.version === '' || !sops.mac) {
    throw new Error('not a SOPS file: sops.version and sops.mac are required');
  }
  if (sops.key_groups != null) throw new Error('key_groups (Shamir) not supported by the reference decryptor');

  const dataKey = await unwrapDataKey(sops.age, identities);
  const onlyEncrypted = sops.mac_only_encrypted === true;
  const hash = createHash('sha512');
  if (onlyEncrypted) hash.update(createHash('sha256').update('sops').digest());
  const w: Walk = { key: dataKey, hash, onlyEncrypted, paths: [] };
  const data = walk(top, '', w);

  const macMatch = ENC.exec(String(sops.mac));
  if (!macMatch) throw new Error('sops.mac is not an ENC[...] value');
  const [storedMac] = decryptValue(dataKey, macMatch, String(sops.lastmodified));
  const macOk = storedMac === hash.digest('hex').toUpperCase();

  const comments: string[] = [];
  for (const line of doc ? commentLines(doc) : []) {
    const m = ENC.exec(line);
    if (!m) continue;
    if (m[4] !== 'comment') throw new Error(`encrypted comment has type ${m[4]}`);
    // The AAD is the containing collection's path; the yaml library may attach a comment
    // to a neighbouring node, so try every collection path until the tag verifies.
    let plaintext: string | undefined;
    for (const path of w.paths) {
      try {
        plaintext = gcmOpen(dataKey, m, path).toString('utf8');
        break;
      } catch {
        // wrong path; try the next one
      }
    }
    if (plaintext === undefined) throw new Error(`encrypted comment verifies under no path: ${line}`);
    comments.push(plaintext);
  }
  return { data, comments, dataKey, macOk };
}
