// What commands that change the config repository share: the data directory, the writer,
// the commit author, the hub identity and reading secrets from stdin.
import { join } from 'node:path';
import { access } from 'node:fs/promises';
import { resolveDataDir } from '../config/data-dir.ts';
import { SilError } from '../errors.ts';
import type { Io } from './command.ts';
import type { VaultContext } from '../vault/key-ops.ts';

export async function gitdirOf(values: Record<string, unknown>, io: Io): Promise<{ dataDir: string; gitdir: string }> {
  const dataDir = resolveDataDir(values.data as string | undefined, io.env);
  const gitdir = join(dataDir, 'config.git');
  if (!(await access(join(gitdir, 'HEAD')).then(() => true, () => false))) {
    throw new SilError('SIL_DATA_DIR', `no config repository at ${gitdir}`, { hint: 'run `sil init` (or `sil start`) first, or pass --data DIR' });
  }
  return { dataDir, gitdir };
}

/** Signs commits with the hub's key (DATA/keys/signing, created when missing), as the hub does. */
export async function dataDirSigner(dataDir: string): Promise<(payload: string) => Promise<string>> {
  const { commitSigner, loadOrCreateSigningKey } = await import('../vault/signing-key.ts');
  return commitSigner(await loadOrCreateSigningKey(join(dataDir, 'keys')));
}

export function commitAuthor(io: Io): { name: string; email: string } {
  return { name: io.env.SIL_AUTHOR_NAME || 'sil', email: io.env.SIL_AUTHOR_EMAIL || 'sil@localhost' };
}

/** Everything a vault operation needs, for the data directory the command names. */
export async function vaultContext(values: Record<string, unknown>, io: Io): Promise<VaultContext> {
  const { dataDir, gitdir } = await gitdirOf(values, io);
  const [{ GitWriter }, { projectCatalog }, { loadHubIdentity }] = await Promise.all([
    import('../config/git-writer.ts'),
    import('../config/catalog.ts'),
    import('../vault/identity.ts'),
  ]);
  const catalog = projectCatalog().catalog;
  return {
    gitdir,
    writer: new GitWriter({ gitdir, catalog, sign: await dataDirSigner(dataDir) }),
    catalog,
    hub: await loadHubIdentity(join(dataDir, 'keys', 'age.key')),
    author: commitAuthor(io),
    now: () => new Date(),
  };
}

/** All of stdin (secrets are never taken from the command line, where `ps` and shell history see them). */
export async function readStdin(io: Io, prompt: string): Promise<string> {
  const stdin = io.stdin as NodeJS.ReadStream;
  if (stdin.isTTY) io.err(prompt);
  let text = '';
  for await (const chunk of io.stdin) text += chunk.toString();
  return text;
}
