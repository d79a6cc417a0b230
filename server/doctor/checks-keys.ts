// Checks of the hub's keys against what the config repository expects: the age identity is a
// recipient of .sops.yaml and of every secrets file; the signing key signed the history that
// carries signatures (or its signers are in security.allowedSigners). Pure.
import { shortRecipient } from '../vault/recipients.ts';
import { fail, ok, warn, type CheckResult } from './check.ts';

export interface AgeFacts {
  path: string;
  /** The hub's recipient; absent when the file is missing or unreadable (then `error`). */
  recipient?: string;
  error?: string;
  /** .sops.yaml's creation_rules[0].age at main; null when missing. */
  sopsRecipients: string[] | null;
  secretsFiles: { path: string; recipients: string[] }[];
}

/** The error, with the file's path once. */
const problem = (path: string, error: string | undefined) => (error?.includes(path) ? error : `${path}: ${error ?? 'missing'}`);

export function checkAgeIdentity(f: AgeFacts): CheckResult {
  if (!f.recipient) {
    return fail('age-identity', problem(f.path, f.error), `restore keys/age.key from the backup (\`sil restore\`, or \`age -d -i OWNER_KEY BACKUP | tar -x keys/age.key\`), mode 0600; a new identity cannot open the existing secrets`);
  }
  const short = shortRecipient(f.recipient);
  if (f.sopsRecipients && !f.sopsRecipients.includes(f.recipient)) {
    return fail('age-identity', `the hub's recipient ${short} is not in .sops.yaml (${f.sopsRecipients.map(shortRecipient).join(', ') || 'empty'}): this is not the identity the vault was made for`, 'put back the keys/age.key of this repository (from the backup), or add this recipient with `sil recipients` from a machine that can still decrypt');
  }
  const closed = f.secretsFiles.filter((s) => !s.recipients.includes(f.recipient!)).map((s) => s.path);
  if (closed.length) {
    return fail('age-identity', `${closed.length} secrets file(s) not encrypted to the hub's recipient ${short}: ${closed.slice(0, 3).join(', ')}`, 're-encrypt them for it: `sops updatekeys FILE` with an identity that opens them, or restore keys/age.key from the backup');
  }
  const sops = f.sopsRecipients ? 'in .sops.yaml' : 'no .sops.yaml (sops CLI users need one)';
  return ok('age-identity', `${short}, ${sops}, opens ${f.secretsFiles.length} secrets file(s)`);
}

export interface SigningFacts {
  path: string;
  /** `SHA256:...` of the key; absent when missing or unusable (then `error`). */
  fingerprint?: string;
  error?: string;
  /** What the key loader said to do about `error` (e.g. the chmod for a readable key). */
  hint?: string;
  /** signing.pub: matches the key, differs, or is missing (null). */
  pubMatches: boolean | null;
  /** security.requireSignedCommits at main. */
  required: boolean;
  /** Signature checks of main's recent first-parent history against the hub key + allowedSigners. */
  history: { commit: string; status: 'good' | 'unsigned' | 'bad' | 'unknown-signer' }[];
}

export function checkSigningKey(f: SigningFacts): CheckResult {
  if (!f.fingerprint) {
    return fail('signing-key', problem(f.path, f.error), f.hint ?? 'restore keys/signing from the backup (mode 0600); a new key (sil makes one on start) no longer verifies the commits signed before');
  }
  const short = (c: string) => c.slice(0, 7);
  const bad = f.history.filter((h) => h.status === 'bad').map((h) => short(h.commit));
  if (bad.length) return fail('signing-key', `bad signatures on main: ${bad.slice(0, 3).join(', ')}`, 'the history was changed; compare with the backup or the remote, `sil audit verify` shows every commit');
  const head = f.history[0];
  if (f.required && head && head.status !== 'good') {
    return fail('signing-key', `main (${short(head.commit)}) is ${head.status}, and security.requireSignedCommits is on: it cannot load`, 'restore keys/signing from the backup, or have the key that signed it listed in security.allowedSigners');
  }
  const unknown = f.history.filter((h) => h.status === 'unknown-signer').map((h) => short(h.commit));
  if (unknown.length) {
    return warn('signing-key', `${unknown.length} of main's last ${f.history.length} commits are signed by a key that is neither ${f.path} (${f.fingerprint}) nor in security.allowedSigners: ${unknown.slice(0, 3).join(', ')}`, 'was the signing key replaced? restore keys/signing from the backup, or list the old key in security.allowedSigners (`sil signing allow`)');
  }
  if (f.pubMatches === false) return warn('signing-key', `${f.path}.pub does not match ${f.path}`, `delete ${f.path}.pub: sil writes it again from the key on start`);
  const good = f.history.filter((h) => h.status === 'good').length;
  return ok('signing-key', `${f.fingerprint}; ${good} of main's last ${f.history.length} commits verify${f.required ? ' (signatures required)' : ''}`);
}
