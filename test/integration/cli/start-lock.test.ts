// One hub per data directory, and no orphaned hub: real `sil start` processes, kill -9 included.
import { describe, it, expect, afterAll, afterEach } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sil } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { eventually, killIfRunning, portIsFree, processRuns, spawnSil, type SilProcess } from '../../helpers/sil-process.ts';

const tmp = tempDir('sil-lock-');
const started: SilProcess[] = [];
const hubPids: number[] = [];
afterEach(async () => {
  for (const p of started.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGTERM');
      await p.exited(15_000).catch(() => p.child.kill('SIGKILL'));
    }
  }
  for (const pid of hubPids.splice(0)) killIfRunning(pid);
});
afterAll(() => tmp.cleanup());

const LISTENING = /sil listening on (http:\/\/127\.0\.0\.1:(\d+))/;
const lockOf = (data: string) => JSON.parse(readFileSync(join(data, 'hub.lock'), 'utf8')) as { pid: number; url?: string };

async function start(data: string, extra: string[] = [], nodeArgs: string[] = []) {
  const p = spawnSil(['start', '--data', data, '--host', '127.0.0.1', '--port', '0', ...extra], { nodeArgs });
  started.push(p);
  const [, url, port] = await p.waitFor(LISTENING, 60_000);
  const hubPid = lockOf(data).pid;
  hubPids.push(hubPid);
  return { p, url, port: Number(port), hubPid };
}

describe('sil start: one hub per data directory', () => {
  it('a second start on the same directory exits 1 with one line naming the PID that holds it; sil init refuses too', async () => {
    const data = join(tmp.path, 'twice');
    const first = await start(data);
    expect(lockOf(data)).toMatchObject({ pid: first.hubPid, url: first.url });
    const second = sil(['start', '--data', data, '--host', '127.0.0.1', '--port', '0']);
    expect(second.status).toBe(1);
    const lines = second.stderr.trim().split('\n');
    expect(lines[0]).toBe(lines.find((l) => l.includes(`PID ${first.hubPid}`)));
    expect(lines[0]).toMatch(new RegExp(`^sil: ${data} is in use by another sil process: PID ${first.hubPid} \\(sil start on .* since .*, ${first.url}\\) \\[SIL_DATA_DIR\\]$`));
    expect(lines[1]).toMatch(new RegExp(`^hint: one hub per data directory: stop that one first \\(kill ${first.hubPid}\\)`));
    expect(second.stdout).not.toContain('listening');
    const init = sil(['init', '--data', data]);
    expect(init.status).toBe(1);
    expect(init.stderr).toContain(`is in use by another sil process: PID ${first.hubPid}`);
    // The first hub is unaffected; a clean stop removes the lock.
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    first.p.child.kill('SIGTERM');
    expect(await first.p.exited()).toBe(0);
    expect(existsSync(join(data, 'hub.lock'))).toBe(false);
    expect(sil(['init', '--data', data]).status).toBe(0);
  }, 120_000);

  it('after kill -9 of the hub, the stale lock does not block: the next start takes it over', async () => {
    const data = join(tmp.path, 'crashed');
    const first = await start(data);
    process.kill(first.hubPid, 'SIGKILL');
    expect(await eventually(() => !processRuns(first.hubPid), 5000)).toBe(true);
    expect(lockOf(data).pid).toBe(first.hubPid); // left behind by the crash
    const next = await start(data);
    expect(next.hubPid).not.toBe(first.hubPid);
    expect((await fetch(`${next.url}/healthz`)).status).toBe(200);
  }, 120_000);
});

describe('sil start: no orphaned hub', () => {
  it('started as `node bin/sil.js start`, the re-run hub ends with its launcher (kill -9): the port is free again and a restart binds it', async () => {
    const data = join(tmp.path, 'launcher');
    const first = await start(data);
    expect(first.hubPid).not.toBe(first.p.child.pid); // re-run with the V8 flags
    first.p.child.kill('SIGKILL');
    expect(await eventually(() => !processRuns(first.hubPid), 5000)).toBe(true);
    expect(await portIsFree(first.port)).toBe(true);
    expect(existsSync(join(data, 'hub.lock'))).toBe(false); // the hub stopped cleanly
    const again = await start(data, ['--port', String(first.port)]);
    expect(again.url).toBe(first.url);
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
  }, 120_000);

  it('started as `node --max-semi-space-size=32 bin/sil.js start` (the supervisor command line), the hub is one process', async () => {
    const data = join(tmp.path, 'one-process');
    const hub = await start(data, [], ['--max-semi-space-size=32']);
    expect(hub.hubPid).toBe(hub.p.child.pid);
    hub.p.child.kill('SIGTERM');
    expect(await hub.p.exited()).toBe(0);
    expect(await portIsFree(hub.port)).toBe(true);
  }, 120_000);
});
