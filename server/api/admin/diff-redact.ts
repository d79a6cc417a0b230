// A safety net for diffs of secrets files. sil and sops keep only ENC[...] values under
// `secret`, so a diff shows ciphertext and metadata. A file committed past the push hook could
// hold a key in clear: in secrets/ diffs every line that is not plainly metadata or ciphertext
// is masked, so such a key never reaches an API answer. In every other diff, lines holding
// something that looks like a provider key (the validator's detector) are masked.
import { catalogKeyFormats, plaintextSecretIssues } from '../../config/plaintext-secret-check.ts';
import type { Catalog } from '../../config/catalog.ts';

/** Fields of a secrets file (and its sops: block) whose values are not secret. */
const METADATA = new Set([
  'keys', 'id', 'label', 'status', 'default', 'created', 'updated', 'rotated', 'expires', 'retireAt', 'revokedAt', 'replaces',
  'providerKeyId', 'fingerprint', 'sops', 'kms', 'gcp_kms', 'azure_kv', 'hc_vault', 'age', 'pgp', 'recipient', 'enc',
  'lastmodified', 'mac', 'version', 'unencrypted_suffix', 'encrypted_suffix', 'unencrypted_regex', 'encrypted_regex',
  'unencrypted_comment_regex', 'encrypted_comment_regex', 'mac_only_encrypted', 'shamir_threshold', 'key_groups',
]);

const ENC_VALUE = /^(["']?)ENC\[AES256_GCM,[^\]]*\]\1,?$/;
const ARMOR_MARK = /^-----(BEGIN|END) AGE ENCRYPTED FILE-----$/;
const KEY_VALUE = /^(\s*(?:- )?)(["']?)([A-Za-z0-9_.-]+)\2:(?:\s+(.*))?$/;
const HEADER = /^(diff --git |index |--- |\+\+\+ |@@ |new file mode|deleted file mode|old mode|new mode|similarity|rename |Binary files|\\ )/;

const indentOf = (s: string) => s.length - s.trimStart().length;

/** Masks what could be a secret in clear in a unified diff of a secrets file. */
export function redactSecretsDiff(diff: string): string {
  let armorIndent = -1; // inside `enc: |` (the wrapped data key), lines indented deeper are armor
  const out: string[] = [];
  for (const line of diff.split('\n')) {
    if (HEADER.test(line) || line === '') {
      if (line.startsWith('@@ ')) armorIndent = -1;
      out.push(line);
      continue;
    }
    const mark = line[0];
    const body = line.slice(1);
    const trimmed = body.trim();
    if (armorIndent >= 0 && trimmed !== '' && indentOf(body) > armorIndent && (ARMOR_MARK.test(trimmed) || /^[A-Za-z0-9+/=]+$/.test(trimmed))) {
      out.push(line);
      continue;
    }
    armorIndent = -1;
    out.push(mark + redactLine(body, (indent) => (armorIndent = indent)));
  }
  return out.join('\n');
}

function redactLine(body: string, enterArmor: (indent: number) => void): string {
  const trimmed = body.trim();
  if (trimmed === '' || /^[{}[\],]+$/.test(trimmed) || ARMOR_MARK.test(trimmed)) return body;
  const kv = KEY_VALUE.exec(body);
  if (kv) {
    const [, lead, , key, value = ''] = kv;
    const v = value.replace(/\s+#.*$/, '').trim();
    if (key === 'enc' && /^[|>][-+]?$/.test(v)) {
      enterArmor(indentOf(body));
      return body;
    }
    if (v === '' || v === '{' || v === '[' || METADATA.has(key) || ENC_VALUE.test(v)) return body;
    return `${lead}${key}: '[redacted: not encrypted]'`;
  }
  const item = /^(\s*- )(.*)$/.exec(body);
  if (item && ENC_VALUE.test(item[2].trim())) return body;
  if (ENC_VALUE.test(trimmed)) return body;
  return `${' '.repeat(indentOf(body))}# [redacted]`;
}

/** Tests a string with the validator's detector of keys in clear (known formats + the catalog's). */
export function clearSecretDetector(catalog: Catalog): (value: string) => boolean {
  const formats = catalogKeyFormats(catalog.values());
  const at = () => ({ line: 1, column: 1 });
  return (value) => plaintextSecretIssues({ path: '', text: '', value: { value }, at }, formats).length > 0;
}

/** Masks diff lines (never headers) that hold a token, or are a line, the detector flags. */
export function maskClearSecrets(diff: string, looksSecret: (value: string) => boolean): string {
  return diff
    .split('\n')
    .map((line) => {
      if (HEADER.test(line) || line.length < 17) return line;
      const body = line.slice(1);
      const hit = looksSecret(body.trim()) || body.split(/[\s"'`,;=()[\]{}]+/).some((t) => t.length >= 16 && (looksSecret(t) || looksSecret(t.replace(/^[^:]*:/, ''))));
      return hit ? `${line[0]}${' '.repeat(indentOf(body))}# [redacted: looks like a key in clear]` : line;
    })
    .join('\n');
}

/** A diff safe to show: secrets files masked where not metadata or ciphertext, keys in clear masked everywhere. */
export function safeDiff(path: string, diff: string, looksSecret: (value: string) => boolean): string {
  return maskClearSecrets(path.startsWith('secrets/') ? redactSecretsDiff(diff) : diff, looksSecret);
}
