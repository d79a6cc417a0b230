// Where the soak's config lives and how changes reach every instance. The first data directory
// is made with the config and the keys; the others are copies of it (they share its age identity
// and signing key); the remote is a bare clone of it, and a work clone of the remote is where
// config pushes are committed. Two ways to spread a change:
//  - remote: each instance follows the remote (sil.yaml `remote:`), pulls it and pushes its own
//    commits (a key rotation) to it;
//  - mirror (while remote sync does not work): the soak pushes each change into every data
//    directory's config.git itself (through their pre-receive hooks).
import { cpSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initDataDir } from '../../server/config/repo-init.ts';
import { GitWriter } from '../../server/config/git-writer.ts';
import { projectCatalog } from '../../server/config/catalog.ts';
import { loadHubIdentity } from '../../server/vault/identity.ts';
import { changeKeys } from '../../server/vault/key-ops.ts';
import { addKey } from '../../server/vault/keyring.ts';
import { configFiles, configPush, type ConfigInputs } from './config-files.ts';
import type { Processes } from './processes.ts';

const SIL_BIN = fileURLToPath(new URL('../../bin/sil.js', import.meta.url));
const AUTHOR = { name: 'soak', email: 'soak@localhost' };
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: AUTHOR.name, GIT_AUTHOR_EMAIL: AUTHOR.email, GIT_COMMITTER_NAME: AUTHOR.name, GIT_COMMITTER_EMAIL: AUTHOR.email, GIT_TERMINAL_PROMPT: '0' };
/** The primary's key after `n` rotations; its last 6 characters tell the mock which one it got. */
export const providerKey = (n: number) => `sk-proj-soak${'k'.repeat(32)}${String(n).padStart(6, '0')}`;

export type SyncMode = 'remote' | 'mirror';

export class ConfigRepo {
  readonly remote: string;
  readonly work: string;
  readonly dataDirs: string[];
  mode: SyncMode = 'remote';
  #rotations = 0;
  readonly #processes: Processes;

  constructor(o: { dir: string; instances: number; processes: Processes }) {
    this.remote = join(o.dir, 'remote.git');
    this.work = join(o.dir, 'work');
    this.dataDirs = Array.from({ length: o.instances }, (_, i) => join(o.dir, `instance-${String.fromCharCode(97 + i)}`, 'data'));
    this.#processes = o.processes;
  }

  #git(args: string[], cwd?: string): Promise<string> {
    return this.#processes.run('git', args, { cwd, timeoutMs: 60_000, env: GIT_ENV });
  }

  /** The first data directory with the config and a key per provider; the remote, the work clone, the copies. */
  async create(inputs: Omit<ConfigInputs, 'remoteUrl'>): Promise<void> {
    const first = this.dataDirs[0]!;
    const { paths } = await initDataDir(first);
    const catalog = projectCatalog().catalog;
    const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
    await writer.commit({ base: null, author: AUTHOR, message: 'soak: config', changes: configFiles({ ...inputs, remoteUrl: this.remote }) });
    const vault = { gitdir: paths.gitdir, writer, catalog, hub: await loadHubIdentity(paths.ageKey), author: AUTHOR, now: () => new Date() };
    for (const p of ['primary', 'secondary']) await changeKeys(vault, p, (k, kc) => addKey(k, kc, { secret: { apiKey: providerKey(0) } }));
    await this.#git(['clone', '--bare', '-q', paths.gitdir, this.remote]);
    await this.#git(['clone', '-q', this.remote, this.work]);
    for (const dir of this.dataDirs.slice(1)) cpSync(first, dir, { recursive: true });
  }

  /** Commits config push `n` in the work clone and pushes it to the remote (and, in mirror mode, to every data directory); resolves with the commit. */
  async push(n: number, label: string): Promise<string> {
    await this.#git(['fetch', '-q', 'origin'], this.work);
    await this.#git(['reset', '-q', '--hard', 'origin/main'], this.work);
    const change = configPush(n, label);
    for (const [path, text] of Object.entries(change.files)) {
      mkdirSync(dirname(join(this.work, path)), { recursive: true });
      writeFileSync(join(this.work, path), text);
    }
    await this.#git(['commit', '-q', '-am', change.message], this.work);
    await this.#git(['push', '-q', 'origin', 'HEAD:main'], this.work);
    if (this.mode === 'mirror') for (const dir of this.dataDirs) await this.#git(['push', '-q', join(dir, 'config.git'), 'HEAD:main'], this.work);
    return (await this.#git(['rev-parse', 'HEAD'], this.work)).trim();
  }

  /** `sil keys rotate primary` on the first data directory (a new secret from stdin); in mirror mode the commit is then pushed to the remote and the other data directories. Resolves with the commit. */
  async rotateKey(): Promise<{ commit: string; key: string }> {
    const key = providerKey(++this.#rotations);
    const first = join(this.dataDirs[0]!, 'config.git');
    await this.#processes.run(process.execPath, [SIL_BIN, 'keys', 'rotate', 'primary', '--data', this.dataDirs[0]!, '--grace-days', '1'], { timeoutMs: 60_000, input: key, env: { ...process.env, SIL_AUTHOR_NAME: AUTHOR.name, SIL_AUTHOR_EMAIL: AUTHOR.email } });
    const commit = (await this.#git(['rev-parse', 'main'], first)).trim();
    if (this.mode === 'mirror') {
      await this.#git(['push', '-q', this.remote, 'main:main'], first);
      for (const dir of this.dataDirs.slice(1)) await this.#git(['push', '-q', join(dir, 'config.git'), 'main:main'], first);
    }
    return { commit, key };
  }

  /** Mirror mode from now on: every data directory gets the remote's main now. */
  async mirror(): Promise<string> {
    this.mode = 'mirror';
    for (const dir of this.dataDirs) await this.#git(['push', '-q', join(dir, 'config.git'), 'main:main'], this.remote);
    return (await this.#git(['rev-parse', 'main'], this.remote)).trim();
  }
}
