// What the operator must still do after `sil init --from URL` (docs/remote-sync.md, "A second
// instance"): read from the cloned sil.yaml and .sops.yaml and this instance's new keys.
import { parse } from 'yaml';

export interface BootstrapFacts {
  url: string;
  branch: string;
  dataDir: string;
  /** sil.yaml of the cloned commit (null when missing). */
  settingsText: string | null;
  /** .sops.yaml of the cloned commit (null when missing). */
  sopsText: string | null;
  /** This instance's age recipient (DATA/keys/age.key). */
  recipient: string;
  /** This instance's signing key as an allowed-signers line. */
  signerLine: string;
}

interface ClonedSettings {
  remote?: { url?: string; branch?: string };
  security?: { requireSignedCommits?: boolean };
}

function settingsOf(text: string | null): ClonedSettings | null {
  if (text === null) return null;
  try {
    const v: unknown = parse(text);
    return v && typeof v === 'object' ? (v as ClonedSettings) : null;
  } catch {
    return null;
  }
}

export function bootstrapAdvice(f: BootstrapFacts): string[] {
  const settings = settingsOf(f.settingsText);
  const lines: string[] = [];
  let step = 0;
  const todo = (text: string, ...more: string[]) => lines.push(`${++step}. ${text}`, ...more.map((m) => `   ${m}`));

  if (!settings?.remote?.url) {
    todo(`sil.yaml has no \`remote:\` block: this instance will not follow ${f.url}.`,
      `Add \`remote: { url: ${f.url}${f.branch === 'main' ? '' : `, branch: ${f.branch}`} }\` to sil.yaml on the remote (every instance reads the same file).`);
  } else if (settings.remote.url !== f.url || (settings.remote.branch ?? 'main') !== f.branch) {
    todo(`sil.yaml follows ${settings.remote.url} (branch ${settings.remote.branch ?? 'main'}), not ${f.url} (branch ${f.branch}); the hub follows sil.yaml.`,
      'Make sure this machine can reach that URL too.');
  }
  const shared = f.sopsText?.includes(f.recipient) ?? false;
  if (!shared) {
    todo('This instance cannot decrypt the vault yet: its age identity is new. Either',
      `- share the identity: copy keys/age.key of an existing instance over ${f.dataDir}/keys/age.key before the first start, or`,
      `- add this instance as a recipient, on an instance that syncs already: sil recipients add ${f.recipient}`,
      '  (one commit; it reaches this instance through the remote).');
  }
  if (settings?.security?.requireSignedCommits) {
    todo('security.requireSignedCommits is on: the other instances load this one\'s commits only once its key is allowed.',
      `On an instance that syncs already: copy ${f.dataDir}/keys/signing.pub there and run \`sil signing allow <email> signing.pub\``,
      `(<email>: SIL_AUTHOR_EMAIL of this instance, default sil@localhost), or add this line to security.allowedSigners:`,
      f.signerLine);
  }
  todo('Optional: set SIL_SYNC_SECRET in this instance\'s environment and point the forge\'s push webhook at',
    'https://<this hub>/sync/trigger (content type application/json, the same secret) to pull at once on each push.');
  return lines;
}
