// security.requireSignedCommits at push time (the pre-receive hook), with native git because
// pushed objects sit in git's quarantine. Same rule as the loader (signing-policy.ts): the
// branch's current tip stands for the live config; the pushed tip must be signed by the hub's
// key or a signer that config allows, when it or the current tip requires signed commits.
import { resolve } from 'node:path';
import { git } from './git-cli.ts';
import { checkCommitSignature } from './commit-signature.ts';
import { SETTINGS_FILES, signatureIssue, signingPolicy, signingSettingsFromText, type SigningSettings } from './signing-policy.ts';
import { readHubPublicKey } from '../vault/signing-key.ts';
import type { ConfigIssue } from './issues.ts';

async function settingsAt(gitDir: string, rev: string): Promise<SigningSettings | undefined> {
  for (const path of SETTINGS_FILES) {
    const text = await git(['cat-file', 'blob', `${rev}:${path}`], { gitDir }).then((b) => b.toString('utf8'), () => null);
    if (text !== null) return signingSettingsFromText(text);
  }
  return undefined;
}

async function revExists(gitDir: string, rev: string): Promise<boolean> {
  return git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { gitDir }).then(() => true, () => false);
}

/**
 * Why a pushed branch tip may not go in, or null. `old` is the branch's tip before the push
 * (null for a new branch: main's tip then stands for the live config).
 */
export async function pushSignatureIssue(gitDir: string, old: string | null, next: string): Promise<ConfigIssue | null> {
  const base = old ?? ((await revExists(gitDir, 'refs/heads/main')) ? 'refs/heads/main' : null);
  const previous = base ? await settingsAt(gitDir, base) : undefined;
  const incoming = await settingsAt(gitDir, next);
  if (previous?.requireSignedCommits !== true && incoming?.requireSignedCommits !== true) return null;
  const hubKey = await readHubPublicKey(resolve(gitDir, '..', 'keys'));
  const policy = signingPolicy(hubKey, previous, incoming);
  const check = await checkCommitSignature(gitDir, next, policy.signers, { native: true });
  return signatureIssue(policy, check);
}
