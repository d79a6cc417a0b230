// Signature status of history commits. By default each commit's SSH signature is checked
// against the signers main trusts today: the hub's own key and security.allowedSigners of
// sil.yaml at the head of main (a display of today's trust, not of the policy at the time).
import { checkRawCommit, type SignatureCheck } from '../../config/commit-signature.ts';
import { signingPolicy, signingSettingsFromText, SETTINGS_FILES } from '../../config/signing-policy.ts';
import { readTextAt } from '../../config/git-read.ts';
import { readHubPublicKey } from '../../vault/signing-key.ts';
import { dirname, join } from 'node:path';
import type { CommitInfo } from './history-log.ts';

export type { SignatureCheck };
export type SignatureOf = (commit: string) => Promise<SignatureCheck>;
export type SignaturesOf = (commits: readonly CommitInfo[]) => Promise<Map<string, SignatureCheck>>;

export interface SignatureOptions {
  /** Replaces the built-in check (tests, or another policy). */
  signatureOf?: SignatureOf;
  /**
   * The hub's Ed25519 signing public key (its console commits are signed with it); by default
   * read once from the data directory (DATA/keys/signing.pub next to DATA/config.git).
   */
  hubPublicKey?: Uint8Array | null;
}

export function signatureChecker(gitdir: string, head: () => Promise<string | null>, opts: SignatureOptions): SignaturesOf {
  if (opts.signatureOf) {
    const one = opts.signatureOf;
    return async (commits) => new Map(await Promise.all(commits.map(async ({ id }) => [id, await one(id)] as const)));
  }
  let hubKey: Promise<Uint8Array | null> | undefined;
  const hubPublicKey = () => (hubKey ??= opts.hubPublicKey !== undefined ? Promise.resolve(opts.hubPublicKey) : readHubPublicKey(join(dirname(gitdir), 'keys')).catch(() => null));
  return async (commits) => {
    if (commits.length === 0) return new Map();
    const at = await head();
    let settings: string | null = null;
    for (const path of at ? SETTINGS_FILES : []) {
      settings = await readTextAt(gitdir, at!, path);
      if (settings !== null) break;
    }
    const { signers } = signingPolicy(await hubPublicKey(), signingSettingsFromText(settings), undefined);
    return new Map(commits.map(({ id, raw }) => [id, checkRawCommit(id, raw, signers)]));
  };
}
