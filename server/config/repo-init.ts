// Creates the data directory on first run: the bare config repository with its first commit and
// pre-receive hook, the server's age identity, and the state and audit folders.
import { mkdir, writeFile, chmod, access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitFs } from './git-fs.ts';
import git from 'isomorphic-git';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { buildTree } from './tree-builder.ts';
import { initialSettings, sopsRules, LAYOUT_README, schemaFiles } from './initial-files.ts';
import { SilError } from '../errors.ts';
import { commitSigner, loadOrCreateSigningKey, type SigningKey } from '../vault/signing-key.ts';

export const CLI_PATH = fileURLToPath(new URL('../../bin/sil.js', import.meta.url));
export const SIL_AUTHOR = { name: 'sil', email: 'sil@localhost' };

export interface DataPaths { dataDir: string; gitdir: string; ageKey: string; signingKey: string; state: string; audit: string; keys: string }

export function dataPaths(dataDir: string): DataPaths {
  return {
    dataDir,
    gitdir: join(dataDir, 'config.git'),
    keys: join(dataDir, 'keys'),
    ageKey: join(dataDir, 'keys', 'age.key'),
    signingKey: join(dataDir, 'keys', 'signing'),
    state: join(dataDir, 'state'),
    audit: join(dataDir, 'audit'),
  };
}

const exists = (p: string) => access(p).then(() => true, () => false);

/** The server's age recipient, creating the identity (mode 0600) when there is none. */
async function ensureAgeIdentity(path: string, now: Date): Promise<string> {
  if (await exists(path)) {
    const identity = (await readFile(path, 'utf8')).split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'));
    if (!identity) throw new SilError('SIL_DATA_DIR', `${path} holds no AGE-SECRET-KEY line`);
    return identityToRecipient(identity.trim());
  }
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  await writeFile(path, `# created: ${now.toISOString()}\n# public key: ${recipient}\n${identity}\n`, { mode: 0o600, flag: 'wx' });
  return recipient;
}

/**
 * The hook script: runs this installation's `sil hook pre-receive` with the Node that installed
 * it, or the `node` on PATH when that one is gone (an npx cache cleaned). Rewritten on every start.
 */
export function hookScript(): string {
  return `#!/bin/sh
# Installed by sil; rewritten by every \`sil start\` / \`sil init\`. Validates pushed commits and
# rejects the push with the validator's messages when a commit is invalid.
node="${process.execPath}"
[ -x "$node" ] || node=node
exec "$node" "${CLI_PATH}" hook pre-receive
`;
}

export async function installHook(gitdir: string): Promise<void> {
  const path = join(gitdir, 'hooks', 'pre-receive');
  await mkdir(join(gitdir, 'hooks'), { recursive: true });
  await writeFile(path, hookScript());
  await chmod(path, 0o755);
}

export interface InitResult {
  paths: DataPaths;
  created: boolean;
  commit?: string;
  /** The hub's commit signing key (DATA/keys/signing), created on first run. */
  signingKey: SigningKey;
}

/** Idempotent: creates what is missing, refreshes the hook, never touches existing config. */
export async function initDataDir(dataDir: string, now: Date = new Date()): Promise<InitResult> {
  const paths = dataPaths(dataDir);
  try {
    await mkdir(dataDir, { recursive: true });
    await mkdir(paths.keys, { recursive: true, mode: 0o700 });
    await mkdir(paths.state, { recursive: true });
    await mkdir(paths.audit, { recursive: true });
  } catch (err) {
    throw new SilError('SIL_DATA_DIR', `cannot create ${dataDir}: ${(err as Error).message}`, { cause: err });
  }
  const recipient = await ensureAgeIdentity(paths.ageKey, now);
  const signingKey = await loadOrCreateSigningKey(paths.keys);
  const { gitdir } = paths;
  let created = false;
  let commit: string | undefined;
  if (!(await exists(join(gitdir, 'HEAD')))) {
    await git.init({ fs: gitFs(gitdir), gitdir, bare: true, defaultBranch: 'main' });
    const files: Record<string, string> = {
      'sil.yaml': initialSettings(),
      '.sops.yaml': sopsRules([recipient]),
      'README.md': LAYOUT_README,
      ...schemaFiles(),
    };
    const tree = await buildTree(gitdir, null, new Map(Object.entries(files).map(([p, c]) => [p, Buffer.from(c)])));
    const stamp = { ...SIL_AUTHOR, timestamp: Math.floor(now.getTime() / 1000), timezoneOffset: 0 };
    const sign = commitSigner(signingKey);
    commit = await git.commit({
      fs: gitFs(gitdir), gitdir, message: 'init: create the config repository\n', tree, parent: [], author: stamp, committer: stamp, ref: 'refs/heads/main',
      signingKey: 'sil', onSign: async ({ payload }) => ({ signature: await sign(payload) }),
    });
    created = true;
  }
  // History is the audit log: pushes may not rewrite or delete it.
  await git.setConfig({ fs: gitFs(gitdir), gitdir, path: 'receive.denyNonFastForwards', value: true });
  await git.setConfig({ fs: gitFs(gitdir), gitdir, path: 'receive.denyDeletes', value: true });
  await installHook(gitdir);
  return { paths, created, commit, signingKey };
}
