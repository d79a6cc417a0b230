// The config-history half of `sil audit verify`: the signatures of the commits on main, checked
// against sil.yaml's security.allowedSigners, and how the result is reported.
import { join } from 'node:path';
import { access } from 'node:fs/promises';
import { headCommit, readTextAt } from '../config/git-read.ts';
import { checkHistorySignatures, type SignatureCheck } from '../config/commit-signature.ts';
import { hubAndListedSigners } from '../config/signature-gate.ts';
import { SETTINGS_FILES, signingSettingsFromText, type SigningSettings } from '../config/signing-policy.ts';

export type { SignatureCheck };

export interface HistoryReport {
  ok: boolean;
  lines: string[];
}

const short = (commit: string) => commit.slice(0, 7);
const MAX_LISTED = 5;

function listed(checks: SignatureCheck[]): string {
  const shown = checks.slice(0, MAX_LISTED).map((c) => short(c.commit)).join(', ');
  return checks.length > MAX_LISTED ? `${shown} and ${checks.length - MAX_LISTED} more` : shown;
}

function describe(c: SignatureCheck): string {
  if (c.status === 'bad') return `commit ${short(c.commit)} has a bad signature${c.reason ? `: ${c.reason}` : ''} (changed after it was signed, or forged)`;
  if (c.status === 'unknown-signer') return `commit ${short(c.commit)} is signed by ${c.signer ? `key ${c.signer}` : 'a key'} that is not in security.allowedSigners${!c.signer && c.reason ? ` (${c.reason})` : ''}`;
  return `commit ${short(c.commit)} is not signed`;
}

/**
 * The report for a list of signature checks (in the order given; the first broken one is named).
 * Fails for a bad signature; unsigned commits and unknown signers fail only when sil.yaml sets
 * security.requireSignedCommits, and are listed as notes otherwise.
 */
export function formatHistoryCheck(checks: SignatureCheck[], requireSigned: boolean): HistoryReport {
  const by = (s: SignatureCheck['status']) => checks.filter((c) => c.status === s);
  const [good, unsigned, unknown] = [by('good'), by('unsigned'), by('unknown-signer')];
  const broken = checks.find((c) => c.status === 'bad' || (requireSigned && c.status !== 'good'));
  const counts = [`${good.length} signed by allowed signers`];
  if (unsigned.length) counts.push(`${unsigned.length} unsigned`);
  if (unknown.length) counts.push(`${unknown.length} signed by unknown keys`);
  if (by('bad').length) counts.push(`${by('bad').length} with bad signatures`);
  const head = `config history: ${checks.length} commit${checks.length === 1 ? '' : 's'} on main, ${counts.join(', ')}`;
  if (broken) {
    const why = broken.status === 'bad' ? '' : ', and sil.yaml sets security.requireSignedCommits';
    return { ok: false, lines: [head, `config history: first broken commit: ${describe(broken)}${why}`] };
  }
  const lines = [`${head}${checks.length ? ', signatures intact' : ''}`];
  if (unsigned.length) lines.push(`note: unsigned commits: ${listed(unsigned)} (allowed: security.requireSignedCommits is false)`);
  if (unknown.length) lines.push(`note: commits signed by keys not in security.allowedSigners: ${listed(unknown)}`);
  return { ok: true, lines };
}

/** What the settings file on main says about signatures (sil.yaml, .yml or .json). */
async function signaturePolicy(gitdir: string): Promise<SigningSettings> {
  const commit = await headCommit(gitdir);
  if (!commit) return {};
  for (const path of SETTINGS_FILES) {
    const text = await readTextAt(gitdir, commit, path);
    if (text !== null) return signingSettingsFromText(text) ?? {};
  }
  return {};
}

/**
 * The history half of `sil audit verify`, or null when there is no config repository. Main's
 * first-parent history is checked against the hub's own signing key and security.allowedSigners,
 * and reported oldest first, so the commit named is where the history first went wrong.
 */
export async function checkConfigHistory(dataDir: string): Promise<HistoryReport | null> {
  const gitdir = join(dataDir, 'config.git');
  if (!(await access(join(gitdir, 'HEAD')).then(() => true, () => false))) return null;
  if (!(await headCommit(gitdir))) return { ok: true, lines: ['config history: main has no commits yet'] };
  const settings = await signaturePolicy(gitdir);
  const signers = await hubAndListedSigners(dataDir, settings.allowedSigners ?? []);
  const checks = await checkHistorySignatures(gitdir, 'refs/heads/main', signers);
  return formatHistoryCheck(checks.reverse(), settings.requireSignedCommits === true);
}
