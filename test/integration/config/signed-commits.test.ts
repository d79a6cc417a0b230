// Commits the hub makes (first commit, GitWriter, the CLI) are SSH-signed with DATA/keys/signing,
// and stock `git verify-commit` accepts them with the line `sil signing allowed-signers` prints.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { commitSigner } from '../../../server/vault/signing-key.ts';
import { checkCommitSignature, checkHistorySignatures } from '../../../server/config/commit-signature.ts';
import { hubAndListedSigners } from '../../../server/config/signature-gate.ts';
import { signingCommand } from '../../../server/cli/signing.ts';
import type { Io } from '../../../server/cli/command.ts';
import { sil } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { gitRun } from '../../helpers/git.ts';
import { MINIMAL } from '../../helpers/config-files.ts';
import { tamperCommit, userKey, verifyCommit } from '../../helpers/signed-git.ts';

const owner = { name: 'Owner', email: 'owner@example.test' };

/** Runs `sil signing ...` in process (the command is registered in server/cli.ts separately). */
async function signing(args: string[], env: NodeJS.ProcessEnv = {}, input = ''): Promise<{ status: number; out: string }> {
  const out: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => out.push(l), stdin: ReadableFrom(input), env: { ...env } };
  const data = args.indexOf('--data');
  const values = data >= 0 ? { data: args[data + 1] } : {};
  const positionals = data >= 0 ? [...args.slice(0, data), ...args.slice(data + 2)] : args;
  const status = await signingCommand.run(values, positionals, io);
  return { status, out: out.join('\n') };
}

function ReadableFrom(text: string): NodeJS.ReadableStream {
  return (async function* () { yield Buffer.from(text); })() as unknown as NodeJS.ReadableStream;
}

describe('signed commits', () => {
  const tmp = tempDir('sil-signed-');
  const data = join(tmp.path, 'data');
  let bare: string;
  let first: string;
  let hubLine: string;
  let writer: GitWriter;

  beforeAll(async () => {
    const init = await initDataDir(data);
    bare = init.paths.gitdir;
    first = init.commit!;
    writer = new GitWriter({ gitdir: bare, catalog: projectCatalog().catalog, sign: commitSigner(init.signingKey) });
    hubLine = (await signing(['allowed-signers', '--data', data])).out;
  });
  afterAll(() => tmp.cleanup());

  it('prints the allowed-signers line with the commit author email, and the public key', async () => {
    expect(hubLine).toMatch(/^sil@localhost namespaces="git" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}$/);
    const custom = await signing(['allowed-signers', '--data', data], { SIL_AUTHOR_EMAIL: 'owner@example.test' });
    expect(custom.out).toBe(hubLine.replace('sil@localhost', 'owner@example.test'));
    const pub = await signing(['public-key', '--data', data]);
    expect(pub.out.split(' ').slice(0, 2)).toEqual(hubLine.split(' ').slice(2, 4));
    expect(pub.out.split(' ')[2]).toMatch(/^sil@\S+$/);
    await expect(signing(['nope', '--data', data])).rejects.toMatchObject({ code: 'SIL_USAGE' });
  });

  it('signs the first commit: git verify-commit accepts it', () => {
    const r = verifyCommit(bare, first, [hubLine], tmp.path);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/Good "git" signature for sil@localhost with ED25519 key SHA256:/);
  });

  it('signs GitWriter commits: git verify-commit and checkCommitSignature agree', async () => {
    const r = await writer.commit({ base: null, changes: MINIMAL, message: 'add the minimal config', author: owner });
    const verified = verifyCommit(bare, r.commit, [hubLine], tmp.path);
    expect(verified.status, verified.output).toBe(0);
    expect(await checkCommitSignature(bare, r.commit, [hubLine])).toEqual({ commit: r.commit, status: 'good', signer: 'sil@localhost' });
    expect(gitRun(bare, ['log', '-1', '--format=%an <%ae>|%s', r.commit])).toBe('Owner <owner@example.test>|add the minimal config');
  });

  it('refuses a tampered commit and a key that is not the allowed one', async () => {
    const tampered = tamperCommit(bare, 'main');
    expect(verifyCommit(bare, tampered, [hubLine], tmp.path).status).not.toBe(0);
    expect(await checkCommitSignature(bare, tampered, [hubLine])).toMatchObject({ status: 'bad', reason: expect.stringMatching(/does not match the commit/) });
    const other = userKey().line('sil@localhost');
    expect(verifyCommit(bare, 'main', [other], tmp.path).status).not.toBe(0);
    expect(await checkCommitSignature(bare, 'main', [other], { native: true })).toMatchObject({ status: 'unknown-signer' });
  });

  it('signs the commits of CLI commands (sil keys add, sil tokens create)', () => {
    const env = { SIL_AUTHOR_NAME: 'Owner', SIL_AUTHOR_EMAIL: 'owner@example.test' };
    const add = sil(['keys', 'add', 'openai-main', '--data', data], { input: `sk-proj-${'A'.repeat(40)}`, env });
    expect(add.status, add.stderr).toBe(0);
    const afterKeys = gitRun(bare, ['rev-parse', 'main']);
    expect(verifyCommit(bare, afterKeys, [hubLine], tmp.path).status).toBe(0);
    const token = sil(['tokens', 'create', 'billing', '--data', data], { env });
    expect(token.status, token.stderr).toBe(0);
    const afterToken = gitRun(bare, ['rev-parse', 'main']);
    expect(afterToken).not.toBe(afterKeys);
    expect(verifyCommit(bare, afterToken, [hubLine], tmp.path).status).toBe(0);
  });

  it('checks the first-parent history, newest first, with the hub key always allowed', async () => {
    const signers = await hubAndListedSigners(data, []);
    const checks = await checkHistorySignatures(bare, 'refs/heads/main', signers);
    expect(checks.map((c) => c.commit)).toEqual(gitRun(bare, ['rev-list', '--first-parent', 'main']).split('\n'));
    expect(checks.every((c) => c.status === 'good' && c.signer === 'sil-hub')).toBe(true);
    expect((await checkHistorySignatures(bare, 'refs/heads/main', [], { limit: 2 })).map((c) => c.status)).toEqual(['unknown-signer', 'unknown-signer']);
  });

  it('sil signing allow: one hub-signed commit adding the key to security.allowedSigners', async () => {
    const alice = userKey();
    const pub = `ssh-ed25519 ${alice.line('x').split(' ')[3]} alice@laptop\n`;
    const r = await signing(['allow', 'alice@example.test', '-', '--data', data], {}, pub);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^[0-9a-f]{7} security: allow alice@example.test to sign commits \(SHA256:/);
    expect(gitRun(bare, ['show', 'main:sil.yaml'])).toContain(`allowedSigners:\n    - ${alice.line('alice@example.test')}`);
    expect(verifyCommit(bare, 'main', [hubLine], tmp.path).status).toBe(0);
    const again = await signing(['allow', 'alice@example.test', '-', '--data', data], {}, pub);
    expect(again.out).toMatch(/is already an allowed signer \(alice@example.test\)/);
    await expect(signing(['allow', 'rsa@example.test', '-', '--data', data], {}, 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQ= x\n')).rejects.toMatchObject({ code: 'SIL_USAGE', message: expect.stringMatching(/ssh-rsa is not supported/) });
  });
});
