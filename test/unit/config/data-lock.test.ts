// The lock of the data directory: who holds it, stale locks, takeover, release.
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { acquireDataLock, holderRuns, LOCK_FILE, type LockHolder } from '../../../server/config/data-lock.ts';
import { parseProcStat, systemProbe, type ProcessProbe } from '../../../server/config/process-probe.ts';
import { SilError } from '../../../server/errors.ts';
import { caughtSync } from '../../helpers/caught.ts';
import { tempDir } from '../../helpers/tmp.ts';

const tmp = tempDir('sil-data-lock-');
afterAll(() => tmp.cleanup());
let n = 0;
const dir = () => join(tmp.path, `d${++n}`);
const holderAt = (data: string) => JSON.parse(readFileSync(join(data, LOCK_FILE), 'utf8')) as LockHolder;
const writeHolder = (data: string, holder: Partial<LockHolder>) => {
  mkdirSync(data, { recursive: true });
  writeFileSync(join(data, LOCK_FILE), JSON.stringify({ host: 'elsewhere', command: 'sil start', startedAt: '2026-01-01T00:00:00.000Z', ...holder }));
};
/** The PID of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
const onLinux = existsSync('/proc/self/stat');

describe('holderRuns', () => {
  const probe = (procs: Record<number, string | undefined>): ProcessProbe => ({ find: (pid) => (pid in procs ? { startTicks: procs[pid] } : null) });
  const h = (pid: number, startTicks?: string): LockHolder => ({ pid, startTicks, host: 'h', command: 'sil start', startedAt: '' });

  it('true only while the PID runs and, where start times are known, is the same process', () => {
    expect(holderRuns(h(10, '500'), probe({ 10: '500' }))).toBe(true);
    expect(holderRuns(h(10, '500'), probe({}))).toBe(false); // ended
    expect(holderRuns(h(10, '500'), probe({ 10: '900' }))).toBe(false); // PID reused by another process
    expect(holderRuns(h(10), probe({ 10: '900' }))).toBe(true); // no start time recorded: the PID decides
    expect(holderRuns(h(10, '500'), probe({ 10: undefined }))).toBe(true); // none known here (macOS)
  });

  it('reads the state and start time of /proc/<pid>/stat, whatever the process name holds', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = 'S';
    fields[19] = '123456';
    expect(parseProcStat(`42 (node) (x y)) ${fields.join(' ')}`)).toEqual({ state: 'S', startTicks: '123456' });
    expect(parseProcStat('42 (node) S 1')).toBeNull();
  });

  it.skipIf(!onLinux)('systemProbe knows this process and its start time, and no ended one', () => {
    expect(systemProbe.find(process.pid)?.startTicks).toMatch(/^\d+$/);
    expect(systemProbe.find(deadPid())).toBeNull();
  });
});

describe('acquireDataLock', () => {
  it('creates DIR and DIR/hub.lock naming this process; a second taker is refused with that PID; release removes it', () => {
    const data = dir();
    const lock = acquireDataLock(data, { command: 'sil start' });
    expect(holderAt(data)).toMatchObject({ pid: process.pid, command: 'sil start' });
    lock.update({ url: 'http://127.0.0.1:8080' });
    const err = caughtSync(() => acquireDataLock(data, { command: 'sil init', hint: (h) => `stop ${h.pid}` }));
    expect(err).toBeInstanceOf(SilError);
    expect(err).toMatchObject({ code: 'SIL_DATA_DIR', hint: `stop ${process.pid}` });
    expect((err as Error).message).toMatch(new RegExp(`^${data} is in use by another sil process: PID ${process.pid} \\(sil start on .+ since .+, http://127\\.0\\.0\\.1:8080\\)$`));
    lock.release();
    lock.release();
    expect(existsSync(join(data, LOCK_FILE))).toBe(false);
    acquireDataLock(data, { command: 'sil init' }).release();
  });

  it('takes over a lock whose holder has ended, or that cannot be read', () => {
    const data = dir();
    writeHolder(data, { pid: deadPid() });
    const lock = acquireDataLock(data, { command: 'sil start' });
    expect(holderAt(data).pid).toBe(process.pid);
    lock.release();
    writeHolder(data, {});
    writeFileSync(join(data, LOCK_FILE), '{"pid": "not a number"');
    acquireDataLock(data, { command: 'sil start' }).release();
    expect(existsSync(join(data, LOCK_FILE))).toBe(false);
  });

  it.skipIf(!onLinux)('takes over a lock whose PID now belongs to another process (another start time)', () => {
    const data = dir();
    writeHolder(data, { pid: process.ppid, startTicks: '1' });
    const lock = acquireDataLock(data, { command: 'sil start' });
    expect(holderAt(data).pid).toBe(process.pid);
    lock.release();
  });

  it('removes a takeover guard left by a crash (older than 10 s), not a fresh one', () => {
    const data = dir();
    writeHolder(data, { pid: deadPid() });
    const guard = join(data, `${LOCK_FILE}.takeover`);
    writeFileSync(guard, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(guard, old, old);
    acquireDataLock(data, { command: 'sil start' }).release();
    expect(existsSync(guard)).toBe(false);

    writeHolder(data, { pid: deadPid() });
    writeFileSync(guard, '');
    const err = caughtSync(() => acquireDataLock(data, { command: 'sil start' }));
    expect((err as Error).message).toMatch(/cannot take .*hub\.lock: it keeps changing/);
  }, 20_000);

  it('release leaves a lock that another process has taken over', () => {
    const data = dir();
    const lock = acquireDataLock(data, { command: 'sil start' });
    writeHolder(data, { pid: process.ppid });
    lock.release();
    expect(holderAt(data).pid).toBe(process.ppid);
  });
});
