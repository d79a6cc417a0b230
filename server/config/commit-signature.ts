// Checks the SSH signatures of commits: split the `gpgsig` header off the raw commit object to
// get the payload git signed, then verify it against the allowed signers. isomorphic-git's own
// readCommit cannot be used for this: it finds the payload by the PGP end marker.
import git from 'isomorphic-git';
import { gitFs } from './git-fs.ts';
import { git as nativeGit } from './git-cli.ts';
import { verifyPayload } from './ssh-signature.ts';
import { parseAllowedSigners, type ParsedSigner } from './allowed-signers.ts';

export interface SignatureCheck {
  commit: string;
  status: 'good' | 'unsigned' | 'bad' | 'unknown-signer';
  /**
   * good: the principals (emails) of the allowed-signers line whose key signed; unknown-signer:
   * the fingerprint (`SHA256:...`) of the key that signed, when it is an SSH key.
   */
  signer?: string;
  /** Why the signature is not good. */
  reason?: string;
}

/** Headers that carry a signature of the commit: removed from the payload, as git does. */
const SIGNATURE_HEADERS = new Set(['gpgsig', 'gpgsig-sha256']);

/** The payload git signs (the commit without its signature headers) and the `gpgsig` text. */
export function splitSignedCommit(raw: Uint8Array): { payload: Buffer; signature: string | null } {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const blank = buf.indexOf('\n\n');
  const headerEnd = blank < 0 ? buf.length : blank + 1;
  const kept: Buffer[] = [];
  const sigLines: string[] = [];
  let inSignature = false;
  let collecting = false;
  for (let pos = 0; pos < headerEnd;) {
    const nl = buf.indexOf(0x0a, pos);
    const end = nl < 0 || nl >= headerEnd ? headerEnd : nl + 1;
    const line = buf.subarray(pos, end);
    pos = end;
    if (line[0] === 0x20) {
      if (!inSignature) kept.push(line);
      else if (collecting) sigLines.push(line.subarray(1).toString('utf8').replace(/\n$/, ''));
      continue;
    }
    const text = line.toString('utf8');
    const name = text.slice(0, text.search(/[ \n]|$/));
    inSignature = SIGNATURE_HEADERS.has(name);
    collecting = name === 'gpgsig' && sigLines.length === 0;
    if (!inSignature) kept.push(line);
    else if (collecting) sigLines.push(text.slice(name.length + 1).replace(/\n$/, ''));
  }
  kept.push(buf.subarray(headerEnd));
  return { payload: Buffer.concat(kept), signature: sigLines.length ? `${sigLines.join('\n')}\n` : null };
}

/** The signature status of one raw commit object. */
export function checkRawCommit(commit: string, raw: Uint8Array, signers: SignersInput): SignatureCheck {
  const { payload, signature } = splitSignedCommit(raw);
  if (signature === null) return { commit, status: 'unsigned', reason: 'the commit has no signature' };
  if (signature.includes('-----BEGIN PGP SIGNATURE-----')) {
    return { commit, status: 'unknown-signer', reason: 'signed with OpenPGP; sil verifies SSH signatures (gpg.format=ssh) only' };
  }
  const result = verifyPayload(payload, signature, toSigners(signers));
  if (result.ok) return { commit, status: 'good', signer: result.signer };
  const signer = result.status === 'unknown-signer' ? result.fingerprint : undefined;
  return { commit, status: result.status, ...(signer ? { signer } : {}), reason: result.reason };
}

/** Allowed signers given parsed, or as lines of the allowed-signers format (bad lines ignored). */
export type SignersInput = readonly (ParsedSigner | string)[];

export function toSigners(input: SignersInput): ParsedSigner[] {
  const lines = input.filter((s): s is string => typeof s === 'string');
  return [...input.filter((s): s is ParsedSigner => typeof s !== 'string'), ...parseAllowedSigners(lines).signers];
}

/** A commit object read with isomorphic-git (cached packs, no process spawned). */
export async function readRawCommit(gitdir: string, commit: string, cache: object = {}): Promise<Uint8Array> {
  const { type, object } = await git.readObject({ fs: gitFs(gitdir), gitdir, oid: commit, format: 'content', cache });
  if (type !== 'commit') throw new Error(`${commit} is a ${type}, not a commit`);
  return object as Uint8Array;
}

/** Commit objects read with native git in one `cat-file --batch` (sees a push's quarantine too). */
export async function readRawCommitsNative(gitDir: string, revs: readonly string[]): Promise<{ commit: string; raw: Buffer }[]> {
  if (revs.length === 0) return [];
  const out = await nativeGit(['cat-file', '--batch'], { gitDir, input: revs.map((r) => `${r}^{commit}`).join('\n') + '\n' });
  const result: { commit: string; raw: Buffer }[] = [];
  let at = 0;
  for (const rev of revs) {
    const nl = out.indexOf(0x0a, at);
    const [oid, type, size] = out.subarray(at, nl).toString('utf8').split(' ');
    if (type !== 'commit') throw new Error(`${rev} is not a commit in the repository`);
    result.push({ commit: oid, raw: out.subarray(nl + 1, nl + 1 + Number(size)) });
    at = nl + 1 + Number(size) + 1;
  }
  return result;
}

export interface CheckOptions {
  /** Read with native git instead of isomorphic-git (the pre-receive hook must). */
  native?: boolean;
  cache?: object;
}

export async function checkCommitSignature(gitdir: string, commit: string, signers: SignersInput, opts: CheckOptions = {}): Promise<SignatureCheck> {
  if (opts.native) {
    const [{ commit: oid, raw }] = await readRawCommitsNative(gitdir, [commit]);
    return checkRawCommit(oid, raw, signers);
  }
  return checkRawCommit(commit, await readRawCommit(gitdir, commit, opts.cache), signers);
}

/** Every commit of `ref`'s first-parent history, newest first (`limit` caps how many). */
export async function checkHistorySignatures(gitdir: string, ref: string, signers: SignersInput, opts: { limit?: number } = {}): Promise<SignatureCheck[]> {
  const args = ['rev-list', '--first-parent', ...(opts.limit ? [`--max-count=${opts.limit}`] : []), ref, '--'];
  const revs = (await nativeGit(args, { gitDir: gitdir })).toString('utf8').split('\n').filter(Boolean);
  const commits = await readRawCommitsNative(gitdir, revs);
  const parsed = toSigners(signers);
  return commits.map(({ commit, raw }) => checkRawCommit(commit, raw, parsed));
}
