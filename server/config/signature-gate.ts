// The loader's gate for security.requireSignedCommits (rules in signing-policy.ts): reads the
// previous config's signing settings (the live config, or the commit's parent when nothing is
// live), checks the commit's signature and says why it may not load.
import { join } from 'node:path';
import git from 'isomorphic-git';
import { gitFs } from './git-fs.ts';
import { readTextAt } from './git-read.ts';
import { checkCommitSignature } from './commit-signature.ts';
import { parseAllowedSigners, type ParsedSigner } from './allowed-signers.ts';
import {
  SETTINGS_FILES, allowedSignersWarnings, hubSigner, signatureIssue, signingPolicy, signingSettingsFromText, signingSettingsOf,
  type SigningSettings,
} from './signing-policy.ts';
import { readHubPublicKey } from '../vault/signing-key.ts';
import type { ConfigIssue } from './issues.ts';
import type { ParsedFile } from './parse-file.ts';

export interface SigningGate {
  /** The hub's own public key; undefined: read DATA/keys/signing.pub beside the repository; null: none. */
  hubKey?: Uint8Array | null;
  /** The live config's signing settings; null when nothing is live (the commit's parent counts then). */
  live?: () => SigningSettings | null;
}

/** The hub's key of the data directory that holds `gitdir` (DATA/config.git → DATA/keys). */
export const hubKeyBeside = (gitdir: string) => readHubPublicKey(join(gitdir, '..', 'keys'));

/** Signing settings of a commit's first parent; undefined for a root commit or no settings file. */
export async function parentSigningSettings(gitdir: string, commit: string, cache: object = {}): Promise<SigningSettings | undefined> {
  const { commit: c } = await git.readCommit({ fs: gitFs(gitdir), gitdir, oid: commit, cache });
  if (c.parent.length === 0) return undefined;
  for (const path of SETTINGS_FILES) {
    const text = await readTextAt(gitdir, c.parent[0], path, cache);
    if (text !== null) return signingSettingsFromText(text);
  }
  return undefined;
}

export async function commitSignatureIssue(
  gitdir: string,
  commit: string,
  settings: ParsedFile | undefined,
  gate: SigningGate,
  cache: object = {},
): Promise<{ issue: ConfigIssue | null; warnings: ConfigIssue[] }> {
  const warnings = allowedSignersWarnings(settings);
  const live = gate.live?.() ?? null;
  const previous = live ?? (await parentSigningSettings(gitdir, commit, cache));
  const incoming = signingSettingsOf(settings?.value);
  if (previous?.requireSignedCommits !== true && incoming?.requireSignedCommits !== true) return { issue: null, warnings };
  const hubKey = gate.hubKey === undefined ? await hubKeyBeside(gitdir) : gate.hubKey;
  const policy = signingPolicy(hubKey, previous, incoming);
  const check = await checkCommitSignature(gitdir, commit, policy.signers, { cache });
  return { issue: signatureIssue(policy, check, settings), warnings };
}

/**
 * The signers a data directory's history is checked against: the hub's own key (when the
 * directory has one) and the given allowed-signers lines (`sil audit verify` uses this).
 */
export async function hubAndListedSigners(dataDir: string, lines: readonly string[]): Promise<ParsedSigner[]> {
  const hub = await readHubPublicKey(join(dataDir, 'keys'));
  return [...(hub ? [hubSigner(hub)] : []), ...parseAllowedSigners(lines).signers];
}
