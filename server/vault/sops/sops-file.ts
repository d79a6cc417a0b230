// Decrypts and encrypts whole SOPS documents (YAML or JSON in, YAML out), verifying and
// computing the SHA-512 MAC. Unchanged values keep their ciphertext on re-encryption.
import { createHash, randomBytes } from 'node:crypto';
import { parseDocument, isMap, visit, YAMLMap, Scalar, type Document as YamlDocument } from 'yaml';
import { SilError } from '../../errors.ts';
import { leaves, commentSlots } from './document-walk.ts';
import { encryptsPath, type Rule } from './rules.ts';
import { readMetadata, sopsTimestamp, type SopsMetadata } from './metadata.ts';
import { decryptBytes, encryptBytes, fromBytes, isEncrypted, plainBytes, type Plain, type SopsType } from './value-cipher.ts';
import { unwrapDataKey, wrapDataKey, type AgeEntry, type Identities } from './data-key.ts';

export const SOPS_VERSION = '3.9.0';

export interface DecryptedFile {
  /** The document with values (and comments) decrypted and the `sops:` block removed. */
  doc: YamlDocument;
  data: Record<string, unknown>;
  dataKey: Uint8Array;
  metadata: SopsMetadata;
  comments: string[];
  /** Ciphertext of each (place, type, plaintext), so re-encrypting keeps unchanged values as they were. */
  ciphertexts: Map<string, string>;
}

const reuseKey = (aad: string, type: string, bytes: Buffer) => `${aad}\0${type}\0${bytes.toString('base64')}`;

function parse(text: string): YamlDocument {
  const doc = parseDocument(text, { uniqueKeys: true, strict: true, prettyErrors: false });
  if (doc.errors.length) throw new SilError('SIL_VAULT_FORMAT', `the file cannot be parsed: ${doc.errors[0].message.split('\n')[0]}`);
  if (!isMap(doc.contents)) throw new SilError('SIL_VAULT_FORMAT', 'the top level of a SOPS file must be a mapping');
  return doc;
}

function macHash(onlyEncrypted: boolean) {
  const hash = createHash('sha512');
  if (onlyEncrypted) hash.update(createHash('sha256').update('sops').digest());
  return hash;
}

export async function decryptSops(text: string, format: 'yaml' | 'json', ids: Identities): Promise<DecryptedFile> {
  const doc = parse(text);
  const metadata = readMetadata(doc.get('sops', false) === undefined ? undefined : (doc.toJS() as Record<string, unknown>).sops);
  const dataKey = await unwrapDataKey(metadata.age, ids);
  if (!dataKey) {
    throw new SilError('SIL_VAULT_IDENTITY', `no identity opens the file (recipients: ${metadata.age.map((a) => a.recipient).join(', ')})`);
  }
  if (dataKey.length !== 32) throw new SilError('SIL_VAULT_FORMAT', `the data key is ${dataKey.length} bytes, not 32`);

  const hash = macHash(metadata.macOnlyEncrypted);
  const ciphertexts = new Map<string, string>();
  for (const leaf of leaves(doc, text, format)) {
    if (leaf.type === null) continue;
    const value = leaf.node.value;
    const place = encryptsPath(metadata.rule, leaf.keys) ?? isEncrypted(value);
    if (place && isEncrypted(value)) {
      const { bytes, type } = decryptBytes(value, dataKey, leaf.aad);
      ciphertexts.set(reuseKey(leaf.aad, type, bytes), value);
      leaf.node.value = fromBytes(bytes, type);
      leaf.node.type = undefined;
      hash.update(bytes);
    } else if (place && value !== '') {
      throw new SilError('SIL_VAULT_FORMAT', `the value at "${leaf.aad}" should be encrypted but is not`, { hint: 'encrypt the file with sops or sil, do not edit values by hand' });
    } else if (!metadata.macOnlyEncrypted) {
      hash.update(plainBytes(value as Plain, leaf.type));
    }
  }

  const comments: string[] = [];
  for (const slot of commentSlots(doc)) {
    const lines = String(slot.owner[slot.prop]).split('\n').map((line) => {
      const trimmed = line.trim();
      if (!isEncrypted(trimmed)) return line;
      for (const aad of slot.aads) {
        try {
          const plain = decryptBytes(trimmed, dataKey, aad).bytes.toString('utf8');
          comments.push(plain);
          return plain;
        } catch {
          // Try the next candidate map.
        }
      }
      throw new SilError('SIL_VAULT_DECRYPT', 'an encrypted comment does not decrypt');
    });
    slot.owner[slot.prop] = lines.join('\n');
  }

  const stored = decryptBytes(metadata.mac, dataKey, metadata.lastmodified).bytes.toString('utf8');
  const computed = hash.digest('hex').toUpperCase();
  if (stored.toUpperCase() !== computed) throw new SilError('SIL_VAULT_MAC', 'MAC mismatch: the values do not match the MAC sops computed');

  (doc.contents as YAMLMap).delete('sops');
  return { doc, data: doc.toJS() as Record<string, unknown>, dataKey, metadata, comments, ciphertexts };
}

export interface EncryptOptions {
  recipients: readonly string[];
  rule: Rule;
  now: Date;
  /** Reuse this data key (and the ciphertexts below) so unchanged values keep their ciphertext. */
  previous?: Pick<DecryptedFile, 'dataKey' | 'ciphertexts'> & { age?: readonly AgeEntry[] };
}

/** Encrypts a plain document (a YAML text or a yaml Document); returns the SOPS YAML text. */
export async function encryptSops(input: string | YamlDocument, opts: EncryptOptions): Promise<string> {
  if (opts.recipients.length === 0) throw new SilError('SIL_VAULT_FORMAT', 'at least one age recipient is needed');
  const source = typeof input === 'string' ? input : input.toString({ lineWidth: 0 });
  const doc = parse(source);
  if (doc.has('sops')) throw new SilError('SIL_VAULT_FORMAT', 'the document is already encrypted (it has a sops: block)');
  // sops would encrypt comments under a path sil cannot always reproduce; sil drops them.
  for (const slot of commentSlots(doc)) slot.owner[slot.prop] = null;
  // Block style, as sops writes: ENC[...] values would need quotes inside flow collections.
  visit(doc, { Collection: (_k, node) => { node.flow = false; } });

  const dataKey = opts.previous?.dataKey ?? randomBytes(32);
  const hash = macHash(false);
  for (const leaf of leaves(doc, source, 'yaml')) {
    if (leaf.type === null) continue;
    const value = leaf.node.value as Plain;
    const bytes = plainBytes(value, leaf.type);
    hash.update(bytes);
    if (!encryptsPath(opts.rule, leaf.keys) || value === '') continue;
    const type: SopsType = leaf.type;
    leaf.node.value = opts.previous?.ciphertexts.get(reuseKey(leaf.aad, type, bytes)) ?? encryptBytes(bytes, type, dataKey, leaf.aad);
    leaf.node.type = 'PLAIN';
  }

  const lastmodified = sopsTimestamp(opts.now);
  const mac = encryptBytes(Buffer.from(hash.digest('hex').toUpperCase()), 'str', dataKey, lastmodified);
  const entries: YAMLMap[] = [];
  for (const recipient of opts.recipients) {
    const kept = opts.previous?.age?.find((a) => a.recipient === recipient)?.enc;
    const enc = new Scalar(kept ?? (await wrapDataKey(dataKey, recipient)));
    enc.type = 'BLOCK_LITERAL';
    const entry = new YAMLMap();
    entry.set('recipient', recipient);
    entry.set('enc', enc);
    entries.push(entry);
  }
  const stamp = new Scalar(lastmodified);
  stamp.type = 'QUOTE_DOUBLE';
  const sops = new YAMLMap();
  sops.set('age', doc.createNode(entries));
  sops.set('lastmodified', stamp);
  sops.set('mac', mac);
  sops.set(opts.rule.kind, opts.rule.value);
  sops.set('version', SOPS_VERSION);
  (doc.contents as YAMLMap).set('sops', sops);
  return doc.toString({ indent: 4, lineWidth: 0, indentSeq: true });
}

