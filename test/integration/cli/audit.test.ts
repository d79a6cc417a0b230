import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readFileSync, writeFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { auditCommand } from '../../../server/cli/audit.ts';
import { formatHistoryCheck, type SignatureCheck } from '../../../server/cli/audit-history.ts';
import { parseCommandArgs, type Io } from '../../../server/cli/command.ts';
import { SilError } from '../../../server/errors.ts';
import { AuditLog } from '../../../server/observe/audit-log.ts';
import { sil } from '../../helpers/cli.ts';
import { commitPastHook, gitRun } from '../../helpers/git.ts';
import { tempDir } from '../../helpers/tmp.ts';

const tmp = tempDir('sil-audit-cli-');
afterAll(() => tmp.cleanup());

/** Runs `sil audit ...` the way runCli does (the command is registered in server/cli.ts separately). */
async function audit(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), stdin: Readable.from([]), env: { ...process.env, SIL_DATA: undefined, ...env } };
  let status: number;
  try {
    const { values, positionals } = parseCommandArgs(auditCommand, args);
    status = values.help ? (io.out(auditCommand.usage), 0) : await auditCommand.run(values, positionals, io);
  } catch (e) {
    if (!(e instanceof SilError)) throw e;
    err.push(`sil: ${e.message} [${e.code}]`);
    status = e.code === 'SIL_USAGE' ? 2 : 1;
  }
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

let n = 0;
/** A data directory whose audit log has 3 entries on each of 2025-05-01, -02 and -03. */
async function dataDir(): Promise<{ data: string; dir: string; day: (d: number) => string }> {
  const data = join(tmp.path, `data${++n}`);
  const dir = join(data, 'audit');
  let t = Date.parse('2025-05-01T10:00:00.000Z');
  const log = await AuditLog.open(dir, { now: () => new Date(t) });
  for (let i = 0; i < 9; i++) {
    t = Date.parse(`2025-05-0${1 + Math.floor(i / 3)}T10:00:0${i % 3}.000Z`);
    await log.append(i === 4 ? { type: 'token.denied', actor: 'client:billing', ip: '10.0.0.7', detail: { reason: 'revoked token', tokenId: 't1' } } : { type: 'login.failed', actor: 'anonymous', ip: '203.0.113.9', detail: { reason: 'bad password' } });
  }
  return { data, dir, day: (d: number) => join(dir, `2025-05-0${d}.jsonl`) };
}

const readLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const writeLines = (file: string, lines: string[]) => writeFileSync(file, lines.map((l) => `${l}\n`).join(''));

describe('sil audit verify', () => {
  it('reports an intact chain, and a data directory without a log or a config repository', async () => {
    const { data } = await dataDir();
    const r = await audit(['verify', '--data', data]);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toBe(`audit log: 9 entries in 3 files, chain intact\nconfig history: no config repository at ${join(data, 'config.git')}; not checked`);
    const empty = join(tmp.path, 'empty');
    mkdirSync(empty);
    expect((await audit(['verify'], { SIL_DATA: empty })).stdout).toMatch(/^audit log: 0 entries in 0 files, chain intact\n/);
    const missing = await audit(['verify', '--data', join(tmp.path, 'nowhere')]);
    expect(missing).toMatchObject({ status: 1, stderr: expect.stringMatching(/no data directory at .*nowhere \[SIL_DATA_DIR\]/) });
  });

  it('detects an edited line', async () => {
    const { data, day } = await dataDir();
    const lines = readLines(day(2));
    lines[1] = lines[1].replace('revoked token', 'valid token');
    writeLines(day(2), lines);
    const r = await audit(['verify', '--data', data]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^audit log: first broken entry ${day(2)}:2 \\(seq 5\\): edited: seq 5: the entry does not match its hash: the line was edited\naudit log: 4 entries before it intact, 3 files in `));
  });

  it('detects a removed line in the middle and at the end', async () => {
    const middle = await dataDir();
    writeLines(middle.day(1), readLines(middle.day(1)).filter((_, i) => i !== 1));
    const r = await audit(['verify', '--data', middle.data]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`first broken entry ${middle.day(1)}:2 (seq 3): removed: 1 entry missing (seq 2): the log jumps from seq 1 to seq 3`);

    const tail = await dataDir();
    writeLines(tail.day(3), readLines(tail.day(3)).slice(0, 2));
    const t = await audit(['verify', '--data', tail.data]);
    expect(t.status).toBe(1);
    expect(t.stdout).toContain(`first broken entry ${tail.day(3)}:3 (seq 9): truncated: the log ends at seq 8 but head.json records seq 9: the last 1 entry was removed`);
  });

  it('detects swapped lines and malformed JSON', async () => {
    const swapped = await dataDir();
    const lines = readLines(swapped.day(2));
    writeLines(swapped.day(2), [lines[0], lines[2], lines[1]]);
    const r = await audit(['verify', '--data', swapped.data]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`first broken entry ${swapped.day(2)}:2 (seq 6): reordered: seq 6 comes before seq 5: lines were moved`);

    const malformed = await dataDir();
    const ml = readLines(malformed.day(3));
    ml[0] = ml[0].replace(/}$/, '');
    writeLines(malformed.day(3), ml);
    const m = await audit(['verify', '--data', malformed.data]);
    expect(m.status).toBe(1);
    expect(m.stdout).toMatch(new RegExp(`first broken entry ${malformed.day(3)}:1: malformed: the line is not an audit entry: not valid JSON`));
  });

  it('detects a file removed in the middle of a rotation', async () => {
    const { data, day } = await dataDir();
    unlinkSync(day(2));
    const r = await audit(['verify', '--data', data]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`first broken entry ${day(3)}:1 (seq 7): removed: 3 entries missing (seq 4–6): the log jumps from seq 3 to seq 7 (was a file before 2025-05-03.jsonl removed?)`);
  });

  it('checks the signatures of the config history: unsigned commits noted, or failing when required; bad ones failing', async () => {
    const { data } = await dataDir();
    const init = sil(['init', '--data', data]);
    expect(init.status, init.stderr).toBe(0);
    const bare = join(data, 'config.git');
    const ok = await audit(['verify', '--data', data]);
    expect(ok).toMatchObject({ status: 0, stdout: 'audit log: 9 entries in 3 files, chain intact\nconfig history: 1 commit on main, 1 signed by allowed signers, signatures intact' });

    const unsigned = commitPastHook(bare, { 'notes.md': 'hello\n' });
    const noted = await audit(['verify', '--data', data]);
    expect(noted.status).toBe(0);
    expect(noted.stdout.split('\n').slice(1)).toEqual([
      'config history: 2 commits on main, 1 signed by allowed signers, 1 unsigned, signatures intact',
      `note: unsigned commits: ${unsigned.slice(0, 7)} (allowed: security.requireSignedCommits is false)`,
    ]);

    const settings = gitRun(bare, ['show', 'main:sil.yaml']).replace('requireSignedCommits: false', 'requireSignedCommits: true');
    commitPastHook(bare, { 'sil.yaml': `${settings}\n` });
    const required = await audit(['verify', '--data', data]);
    expect(required.status).toBe(1);
    expect(required.stdout).toContain(`config history: first broken commit: commit ${unsigned.slice(0, 7)} is not signed, and sil.yaml sets security.requireSignedCommits`);

    // The signed first commit, its message changed after signing, made the whole history of main.
    const first = gitRun(bare, ['rev-list', '--max-parents=0', 'main']);
    const raw = gitRun(bare, ['cat-file', 'commit', first]);
    const forged = gitRun(bare, ['hash-object', '-t', 'commit', '-w', '--stdin'], `${raw.replace(/\n\n[^]*$/, '\n\nnothing to see here')}\n`);
    gitRun(bare, ['update-ref', 'refs/heads/main', forged]);
    const bad = await audit(['verify', '--data', data]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(new RegExp(`config history: first broken commit: commit ${forged.slice(0, 7)} has a bad signature: .*\\(changed after it was signed, or forged\\)`));
  });
});

describe('sil audit list', () => {
  it('lists entries newest first, by type, as JSON, with the next page named', async () => {
    const { data } = await dataDir();
    const r = await audit(['list', '--limit', '2', '--data', data]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(/^ {5}9 {2}2025-05-03T10:00:02.000Z {2}login.failed {8}anonymous {2}203.0.113.9 {2}reason="bad password"$/),
      expect.stringMatching(/^ {5}8 /),
      'more: sil audit list --before 8 --limit 2',
    ]);
    const denied = await audit(['list', '--type', 'token.denied', '--json', '--data', data]);
    expect(denied.stdout.split('\n').map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ seq: 5, type: 'token.denied', actor: 'client:billing', detail: { reason: 'revoked token', tokenId: 't1' } })]);
    expect((await audit(['list', '--type', 'logout', '--data', data])).stdout).toBe('no audit entries');
    expect(await audit(['list', '--type', 'nope', '--data', data])).toMatchObject({ status: 2, stderr: expect.stringMatching(/unknown event type "nope"/) });
    expect(await audit(['list', '--limit', '0', '--data', data])).toMatchObject({ status: 2, stderr: expect.stringMatching(/--limit must be a whole number from 1 to 1000/) });
    expect(await audit(['verify', '--limit', '3', '--data', data])).toMatchObject({ status: 2, stderr: expect.stringMatching(/verify does not take --limit/) });
    expect(await audit(['frob'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/unknown subcommand "frob"/) });
  });
});

describe('the config history report', () => {
  const c = (status: SignatureCheck['status'], commit: string, extra: Partial<SignatureCheck> = {}): SignatureCheck => ({ commit: commit.repeat(40).slice(0, 40), status, ...extra });

  it('passes good and (when allowed) unsigned commits, naming the unsigned ones', () => {
    expect(formatHistoryCheck([c('good', 'a'), c('unsigned', 'b')], false)).toEqual({
      ok: true,
      lines: ['config history: 2 commits on main, 1 signed by allowed signers, 1 unsigned, signatures intact', 'note: unsigned commits: bbbbbbb (allowed: security.requireSignedCommits is false)'],
    });
    expect(formatHistoryCheck([], true)).toEqual({ ok: true, lines: ['config history: 0 commits on main, 0 signed by allowed signers'] });
  });

  it('fails on a bad signature, and on unsigned or unknown signers when signed commits are required', () => {
    const bad = formatHistoryCheck([c('good', 'a'), c('bad', 'd', { reason: 'signature does not verify' }), c('bad', 'e')], false);
    expect(bad.ok).toBe(false);
    expect(bad.lines[1]).toBe('config history: first broken commit: commit ddddddd has a bad signature: signature does not verify (changed after it was signed, or forged)');
    const unsigned = formatHistoryCheck([c('good', 'a'), c('unsigned', 'b')], true);
    expect(unsigned).toMatchObject({ ok: false, lines: [expect.any(String), 'config history: first broken commit: commit bbbbbbb is not signed, and sil.yaml sets security.requireSignedCommits'] });
    const unknown = formatHistoryCheck([c('unknown-signer', 'f', { signer: 'SHA256:abc' })], true);
    expect(unknown.lines[1]).toBe('config history: first broken commit: commit fffffff is signed by key SHA256:abc that is not in security.allowedSigners, and sil.yaml sets security.requireSignedCommits');
    expect(formatHistoryCheck([c('unknown-signer', 'f')], false)).toMatchObject({ ok: true, lines: [expect.any(String), 'note: commits signed by keys not in security.allowedSigners: fffffff'] });
  });
});
