// `sil init --from URL` through the real command: a new data directory from a remote (its branch
// becomes main, the instance gets its own keys and the push hook), what it prints is left to do,
// and what it refuses.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sil } from '../../helpers/cli.ts';
import { gitRun, commitFiles } from '../../helpers/git.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { initDataDir } from '../../../server/config/repo-init.ts';

describe('sil init --from', () => {
  const tmp = tempDir('sil-init-from-');
  const remote = join(tmp.path, 'remote.git');
  let head: string;

  beforeAll(async () => {
    const seed = await initDataDir(join(tmp.path, 'seed'));
    gitRun(tmp.path, ['clone', '-q', '--bare', seed.paths.gitdir, remote]);
    gitRun(tmp.path, ['clone', '-q', remote, join(tmp.path, 'work')]);
    commitFiles(join(tmp.path, 'work'), { 'sil.yaml': `version: 1\nenvironments: [prod]\nremote: { url: ${remote} }\nsecurity: { requireSignedCommits: true }\n` });
    gitRun(join(tmp.path, 'work'), ['push', '-q', 'origin', 'HEAD:config']);
    head = gitRun(remote, ['rev-parse', 'refs/heads/config']);
  });
  afterAll(() => tmp.cleanup());

  it('makes the data directory from the remote branch, with its own keys, and prints what is left', () => {
    const data = join(tmp.path, 'b');
    const r = sil(['init', '--from', remote, '--branch', 'config', '--data', data]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const gitdir = join(data, 'config.git');
    expect(gitRun(gitdir, ['rev-parse', 'refs/heads/main'])).toBe(head);
    expect(gitRun(gitdir, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/main');
    expect(existsSync(join(gitdir, 'hooks', 'pre-receive'))).toBe(true);
    const recipient = /age1[0-9a-z]{58}/.exec(readFileSync(join(data, 'keys', 'age.key'), 'utf8'))![0];
    expect(r.stdout).toContain(`created ${gitdir} from ${remote} config (main at ${head})`);
    expect(r.stdout).toContain(`sil recipients add ${recipient}`);
    const pub = readFileSync(join(data, 'keys', 'signing.pub'), 'utf8').split(' ')[1];
    expect(r.stdout).toContain(pub);
    expect(r.stdout).toContain('sil signing allow');
    // sil.yaml follows branch main, this instance was made from branch config: said so.
    expect(r.stdout).toContain(`not ${remote} (branch config)`);
  });

  it('refuses a data directory that has a config repository, a missing branch, an unreachable remote, and --branch alone', () => {
    const data = join(tmp.path, 'c');
    expect(sil(['init', '--data', data]).status).toBe(0);
    const again = sil(['init', '--from', remote, '--data', data]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('exists already');

    const missing = sil(['init', '--from', remote, '--branch', 'nope', '--data', join(tmp.path, 'd')]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('has no branch nope');
    expect(existsSync(join(tmp.path, 'd', 'config.git'))).toBe(false);

    const gone = sil(['init', '--from', join(tmp.path, 'no-such.git'), '--data', join(tmp.path, 'e')]);
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toContain('cannot fetch');

    const alone = sil(['init', '--branch', 'x', '--data', join(tmp.path, 'f')]);
    expect(alone.status).not.toBe(0);
    expect(alone.stderr).toContain('--branch needs --from');
    const bad = sil(['init', '--from', 'not a url', '--data', join(tmp.path, 'g')]);
    expect(bad.stderr).toContain('is not a remote URL');
  });
});
