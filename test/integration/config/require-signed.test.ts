// security.requireSignedCommits on a running hub: the push hook and the loader refuse commits not
// signed by the hub's key or a key of security.allowedSigners (read from the live config), and
// the last good snapshot keeps serving.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';
import { startHub } from '../../../server/main.ts';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { commitSigner } from '../../../server/vault/signing-key.ts';
import { clone, commitFiles, commitPastHook, gitRun } from '../../helpers/git.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { MINIMAL } from '../../helpers/config-files.ts';
import { HAS_SSH_KEYGEN, signHead, userKey } from '../../helpers/signed-git.ts';

const owner = { name: 'Owner', email: 'owner@example.test' };
const alice = userKey();
const mallory = userKey();
const requireSigned = (signers: string[]) =>
  `${MINIMAL['sil.yaml']}security:\n  requireSignedCommits: true\n${signers.length ? `  allowedSigners:\n${signers.map((l) => `    - ${l}\n`).join('')}` : ''}`;

/** git push without blocking the event loop: the hub under test runs in this process. */
function push(work: string, ...args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile('git', ['push', 'origin', ...args], { cwd: work }, (err, stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}
const POLICY = (n: string) => ({ [`policies/${n}.yaml`]: `name: ${n}\n` });

describe('security.requireSignedCommits', () => {
  let hub: TestHub;
  let work: string;
  let good: string;
  const head = () => gitRun(hub.gitdir, ['rev-parse', 'refs/heads/main']);
  /** Puts main back on the last good commit (an admin's revert) and the clone with it. */
  const restore = async () => {
    gitRun(hub.gitdir, ['update-ref', 'refs/heads/main', good]);
    await hub.waitFor((b) => b.config.error === null && b.config.commit === good);
    gitRun(work, ['fetch', '-q', 'origin']);
    gitRun(work, ['reset', '-q', '--hard', good]);
  };
  /** Pushes with the hook moved away: what lands must still be stopped by the loader. */
  const pushPastHook = async () => {
    const hook = join(hub.gitdir, 'hooks', 'pre-receive');
    renameSync(hook, `${hook}.off`);
    try {
      return await push(work, 'HEAD:main');
    } finally {
      renameSync(`${hook}.off`, hook);
    }
  };

  beforeAll(async () => {
    hub = await startTestHub();
    const r = await hub.writer.commit({ base: null, changes: { ...MINIMAL, 'sil.yaml': requireSigned([alice.line('alice@example.test')]) }, message: 'security: require signed commits', author: owner });
    good = r.commit;
    await hub.waitFor((b) => b.config.commit === good);
    work = clone(hub.gitdir, join(hub.dir, 'work'));
  });
  afterAll(() => hub.stop());

  it('serves the hub-signed commit that turned the requirement on', async () => {
    expect((await hub.health()).body.config).toMatchObject({ commit: good, error: null });
  });

  it('the push hook refuses an unsigned commit made with plain git; the branch stays', async () => {
    commitFiles(work, POLICY('unsigned'), 'unsigned change');
    const pushed = await push(work, 'main');
    expect(pushed.status).not.toBe(0);
    expect(pushed.output).toMatch(/remote: sil: sil\.yaml:\d+:\d+: commit [0-9a-f]{7} is not signed, and security\.requireSignedCommits is on \[SIL_COMMIT_SIGNATURE\]/);
    expect(pushed.output).toMatch(/push rejected: refs\/heads\/main would not load/);
    expect(head()).toBe(good);
  });

  it('an unsigned commit that gets past the hook never loads: the last good snapshot keeps serving', async () => {
    expect((await pushPastHook()).status).toBe(0);
    const bad = head();
    const { body } = await hub.waitFor((b) => b.config.error?.commit === bad);
    expect(body.status).toBe('degraded');
    expect(body.config.commit).toBe(good);
    expect(body.config.error!.messages).toEqual([expect.stringMatching(/^sil\.yaml:\d+:\d+: commit [0-9a-f]{7} is not signed, and security\.requireSignedCommits is on \[SIL_COMMIT_SIGNATURE\] hint: Sign with an SSH key listed in security\.allowedSigners/)]);
    expect(hub.live.snapshot!.policies.has('unsigned')).toBe(false);
    await restore();
  });

  it('a commit cannot turn the requirement off for itself', async () => {
    commitPastHook(hub.gitdir, { 'sil.yaml': MINIMAL['sil.yaml'] }, 'security: no more signatures');
    const bad = head();
    const { body } = await hub.waitFor((b) => b.config.error?.commit === bad);
    expect(body.config.commit).toBe(good);
    expect(body.config.error!.messages![0]).toMatch(/is not signed, and security\.requireSignedCommits is on/);
    await restore();
  });

  it('a commit signed by a key of security.allowedSigners goes through the hook and loads', async () => {
    commitFiles(work, POLICY('by-alice'), 'alice: add a policy');
    const signed = signHead(work, alice);
    const pushed = await push(work, 'main');
    expect(pushed.status, pushed.output).toBe(0);
    const { body } = await hub.waitFor((b) => b.config.commit === signed);
    expect(body.config).toMatchObject({ commit: signed, error: null });
    expect(hub.live.snapshot!.policies.has('by-alice')).toBe(true);
    good = signed;
  });

  it.skipIf(!HAS_SSH_KEYGEN)('also when signed by real `git commit -S` (gpg.format=ssh, ssh-keygen)', async () => {
    const keyFile = alice.writeTo(hub.dir);
    commitFiles(work, POLICY('git-signed'), 'unsigned first');
    gitRun(work, ['reset', '-q', '--soft', 'HEAD~1']);
    gitRun(work, ['-c', 'gpg.format=ssh', '-c', `user.signingKey=${keyFile}`, 'commit', '-q', '-S', '-m', 'alice: signed by git']);
    const commit = gitRun(work, ['rev-parse', 'HEAD']);
    const pushed = await push(work, 'main');
    expect(pushed.status, pushed.output).toBe(0);
    await hub.waitFor((b) => b.config.commit === commit);
    expect(hub.live.snapshot!.commit).toBe(commit);
    good = commit;
  });

  it('refuses a key that is not listed, even in a commit that lists it', async () => {
    commitFiles(work, { 'sil.yaml': requireSigned([alice.line('alice@example.test'), mallory.line('mallory@example.test')]) }, 'mallory: let me in');
    signHead(work, mallory);
    const pushed = await push(work, 'main');
    expect(pushed.status).not.toBe(0);
    expect(pushed.output).toMatch(/is not signed by an allowed signer \(signed by SHA256:\S+, which is not an allowed signer\)/);
    expect(head()).toBe(good);
    gitRun(work, ['reset', '-q', '--hard', good]);
  });

  it('commits of the console and CLI (the hub writer, signed with the hub key) load', async () => {
    const r = await hub.writer.commit({ base: null, changes: POLICY('by-hub'), message: 'policies: add by-hub', author: owner });
    await hub.waitFor((b) => b.config.commit === r.commit);
    expect(hub.live.snapshot!.policies.has('by-hub')).toBe(true);
  });

  it('warns about allowedSigners lines it cannot use (other key types), without trusting them', async () => {
    const rsa = 'bob@example.test ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 bob';
    const r = await hub.writer.commit({ base: null, changes: { 'sil.yaml': requireSigned([alice.line('alice@example.test'), rsa]) }, message: 'security: add bob', author: owner });
    await hub.waitFor((b) => b.config.commit === r.commit);
    expect(hub.live.snapshot!.warnings).toEqual([expect.objectContaining({
      file: 'sil.yaml', line: 7, column: 7, code: 'SIL_COMMIT_SIGNATURE', severity: 'warning',
      message: 'allowedSigners line 2 is ignored: key type ssh-rsa is not supported (sil verifies ssh-ed25519 keys only)',
    })]);
  });
});

describe('security.requireSignedCommits on start', () => {
  const tmp = tempDir('sil-reqsig-start-');
  afterAll(() => tmp.cleanup());

  it('with nothing live yet, the parent commit\'s sil.yaml decides: an unsigned head is not served', async () => {
    const data = join(tmp.path, 'data');
    const init = await initDataDir(data);
    const writer = new GitWriter({ gitdir: init.paths.gitdir, catalog: projectCatalog().catalog, sign: commitSigner(init.signingKey) });
    const signed = await writer.commit({ base: null, changes: { ...MINIMAL, 'sil.yaml': requireSigned([]) }, message: 'require signatures', author: owner });
    const unsigned = commitPastHook(init.paths.gitdir, { 'sil.yaml': MINIMAL['sil.yaml'], ...POLICY('sneaky') }, 'turn it off, unsigned');
    const logs: string[] = [];
    const hub = await startHub({ dataDir: data, host: '127.0.0.1', port: 0, log: (l) => logs.push(l) });
    try {
      expect(hub.live.snapshot!.commit).toBe(signed.commit);
      expect(hub.live.error).toMatchObject({ commit: unsigned, errors: [{ code: 'SIL_COMMIT_SIGNATURE' }] });
    } finally {
      await hub.close();
    }
  });
});
