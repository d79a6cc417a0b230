// git's allowed-signers format (ssh-keygen(1), "ALLOWED SIGNERS"), as listed under
// security.allowedSigners in sil.yaml:  principals [options] keytype base64-key [comment]
// e.g. `owner@example.com namespaces="git" ssh-ed25519 AAAA...`. sil verifies Ed25519 keys only:
// lines with other key types or options it cannot honour are reported, never trusted.
import { ED25519, WireError, ed25519Blob, parseEd25519Blob } from './ssh-wire.ts';

export interface ParsedSigner {
  /** The principals field (one or more emails or patterns, comma separated). */
  principals: string;
  keyType: typeof ED25519;
  /** The raw 32-byte Ed25519 public key. */
  key: Buffer;
  /** The namespaces option, or null when the line has none (any namespace). */
  namespaces: string[] | null;
}

export interface SignerProblem {
  /** Index of the line in the list given (0-based). */
  index: number;
  line: string;
  reason: string;
}

export interface AllowedSigners { signers: ParsedSigner[]; problems: SignerProblem[] }

const KEY_TYPE = /^(ssh-|ecdsa-sha2-|sk-|rsa-sha2-)|@openssh\.com$/;

/** Splits on blanks outside double quotes (`namespaces="git,file"` stays one token). */
function tokens(line: string, sep: RegExp): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && sep.test(ch)) {
      if (current) out.push(current);
      current = '';
    } else current += ch;
  }
  if (current) out.push(current);
  return out;
}

/** ssh's pattern lists: `*` and `?` wildcards, `!` negates; a negated match wins. */
export function matchesPatternList(list: readonly string[], value: string): boolean {
  let matched = false;
  for (const raw of list) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    if (re.test(value)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The raw key of an Ed25519 `ssh-ed25519 AAAA...` key (comment ignored); throws with the reason. */
export function parsePublicKey(type: string, base64: string): Buffer {
  if (type !== ED25519) throw new WireError(`key type ${type} is not supported (sil verifies ssh-ed25519 keys only)`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new WireError('the key is not base64');
  try {
    return parseEd25519Blob(Buffer.from(base64, 'base64'));
  } catch (err) {
    throw new WireError(`the key does not decode: ${(err as Error).message}`);
  }
}

function parseOptions(text: string): { namespaces: string[] | null } {
  let namespaces: string[] | null = null;
  for (const option of tokens(text, /,/)) {
    const m = /^([a-z-]+)(?:="(.*)")?$/i.exec(option);
    const name = m?.[1].toLowerCase();
    if (name === 'namespaces' && m?.[2] !== undefined) namespaces = m[2].split(',').map((n) => n.trim()).filter(Boolean);
    else if (name === 'cert-authority' || name === 'valid-after' || name === 'valid-before') {
      throw new WireError(`option ${name} is not supported by sil`);
    } else throw new WireError(`unknown option "${option}"`);
  }
  return { namespaces };
}

export function parseSignerLine(line: string): ParsedSigner {
  const parts = tokens(line.trim(), /\s/);
  if (parts.length < 3) throw new WireError('expected `email [namespaces="git"] ssh-ed25519 AAAA...`');
  const hasOptions = !KEY_TYPE.test(parts[1]);
  const [principals, options, type, base64] = hasOptions ? parts : [parts[0], '', parts[1], parts[2]];
  if (!type || !base64) throw new WireError('expected `email [namespaces="git"] ssh-ed25519 AAAA...`');
  const { namespaces } = options ? parseOptions(options) : { namespaces: null };
  if (namespaces && !matchesPatternList(namespaces, 'git')) {
    throw new WireError(`namespaces="${namespaces.join(',')}" does not include git: the key may not sign commits`);
  }
  return { principals: principals.replace(/^"|"$/g, ''), keyType: ED25519, key: parsePublicKey(type, base64), namespaces };
}

/** Parses the lines; blank lines and `#` comments are skipped, bad lines reported. */
export function parseAllowedSigners(lines: readonly string[]): AllowedSigners {
  const signers: ParsedSigner[] = [];
  const problems: SignerProblem[] = [];
  lines.forEach((line, index) => {
    if (!line.trim() || line.trim().startsWith('#')) return;
    try {
      signers.push(parseSignerLine(line));
    } catch (err) {
      problems.push({ index, line, reason: (err as Error).message });
    }
  });
  return { signers, problems };
}

/** The line for an allowed-signers file: `<email> namespaces="git" ssh-ed25519 AAAA...`. */
export function allowedSignerLine(email: string, publicKey: Uint8Array): string {
  return `${email} namespaces="git" ${ED25519} ${ed25519Blob(publicKey).toString('base64')}`;
}

/** The signer of a key, or undefined; `namespace` must be allowed by the line. */
export function findSigner(signers: readonly ParsedSigner[], key: Uint8Array, namespace = 'git'): ParsedSigner | undefined {
  return signers.find((s) => Buffer.from(key).equals(s.key) && (s.namespaces === null || matchesPatternList(s.namespaces, namespace)));
}
