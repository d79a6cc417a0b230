// security.requireSignedCommits: which commits may load. The rule is read from the config that
// is live (or, with nothing live, the commit's parent) AND from the commit itself, so a commit
// can turn the requirement on but never off for itself. The allowed signers are the hub's own
// key plus security.allowedSigners of that previous config: a commit cannot add the key it is
// signed with. Only when the previous config did not require signatures (anyone could commit
// anything) does the commit's own list count too, so turning the requirement on and naming
// your key in one commit works.
import { parse } from 'yaml';
import { issue, type ConfigIssue } from './issues.ts';
import { parseAllowedSigners, type ParsedSigner, type SignerProblem } from './allowed-signers.ts';
import type { SignatureCheck } from './commit-signature.ts';
import type { ParsedFile } from './parse-file.ts';

export interface SigningSettings { requireSignedCommits?: boolean; allowedSigners?: string[] }

export interface SigningPolicy {
  required: boolean;
  signers: ParsedSigner[];
  /** Lines of the lists used that cannot be trusted (bad syntax, key types sil cannot verify). */
  problems: SignerProblem[];
}

/** The principal reported for signatures by the hub's own key. */
export const HUB_PRINCIPAL = 'sil-hub';

export const SETTINGS_FILES = ['sil.yaml', 'sil.yml', 'sil.json'] as const;

export function hubSigner(publicKey: Uint8Array): ParsedSigner {
  return { principals: HUB_PRINCIPAL, keyType: 'ssh-ed25519', key: Buffer.from(publicKey), namespaces: ['git'] };
}

/** The signing fields of a settings object of unknown shape (a previous sil.yaml may be invalid). */
export function signingSettingsOf(value: unknown): SigningSettings | undefined {
  const security = (value as { security?: unknown } | null)?.security;
  if (!security || typeof security !== 'object' || Array.isArray(security)) return undefined;
  const { requireSignedCommits, allowedSigners } = security as Record<string, unknown>;
  return {
    requireSignedCommits: requireSignedCommits === true,
    allowedSigners: Array.isArray(allowedSigners) ? allowedSigners.filter((l): l is string => typeof l === 'string') : [],
  };
}

/** Reads the signing fields from the text of a sil.yaml / sil.json; undefined when unreadable. */
export function signingSettingsFromText(text: string | null): SigningSettings | undefined {
  if (text === null) return undefined;
  try {
    return signingSettingsOf(parse(text, { maxAliasCount: 50 }));
  } catch {
    return undefined;
  }
}

export function signingPolicy(hubKey: Uint8Array | null, previous: SigningSettings | undefined, incoming: SigningSettings | undefined): SigningPolicy {
  const before = previous?.requireSignedCommits === true;
  const required = before || incoming?.requireSignedCommits === true;
  const lines = [...(previous?.allowedSigners ?? []), ...(before ? [] : (incoming?.allowedSigners ?? []))];
  const { signers, problems } = parseAllowedSigners(lines);
  return { required, signers: hubKey ? [hubSigner(hubKey), ...signers] : signers, problems };
}

/** The issue that keeps a commit from loading, or null when the policy lets it through. */
export function signatureIssue(policy: SigningPolicy, check: SignatureCheck, settings?: ParsedFile): ConfigIssue | null {
  if (!policy.required || check.status === 'good') return null;
  const short = check.commit.slice(0, 7);
  const what = {
    unsigned: `commit ${short} is not signed`,
    bad: `commit ${short} has a bad signature (${check.reason})`,
    'unknown-signer': `commit ${short} is not signed by an allowed signer (${check.reason})`,
  }[check.status];
  const skipped = policy.problems.length ? `; ${policy.problems.length} allowedSigners line(s) ignored: ${policy.problems.map((p) => p.reason).join('; ')}` : '';
  const at = settings?.at(['security', 'requireSignedCommits'], true) ?? { line: 1, column: 1 };
  return issue(settings?.path ?? 'sil.yaml', at, 'SIL_COMMIT_SIGNATURE', `${what}, and security.requireSignedCommits is on${skipped}`);
}

/** Warnings for allowedSigners lines of a settings file that sil cannot use. */
export function allowedSignersWarnings(settings: ParsedFile | undefined): ConfigIssue[] {
  const lines = signingSettingsOf(settings?.value)?.allowedSigners ?? [];
  return parseAllowedSigners(lines).problems.map((p) =>
    issue(settings!.path, settings!.at(['security', 'allowedSigners', p.index]), 'SIL_COMMIT_SIGNATURE', `allowedSigners line ${p.index + 1} is ignored: ${p.reason}`, 'write `email namespaces="git" ssh-ed25519 AAAA...` (the line `sil signing allowed-signers` prints has this form)', 'warning'));
}
