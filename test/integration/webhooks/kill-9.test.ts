// kill -9 in the middle of a retry schedule: the hub (a child process) queues a delivery, the
// receiver fails it, the hub is SIGKILLed before the next attempt; after a restart on the same
// data the delivery arrives with the same webhook-id, once.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../helpers/tmp.ts';
import { eventually, killIfRunning, processRuns, spawnSil, type SilProcess } from '../../helpers/sil-process.ts';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { startReceiver, type Receiver } from './receiver.ts';
import { touchConfig, writeWebhook } from './webhook-config.ts';

const CHILD = fileURLToPath(new URL('./hub-child.ts', import.meta.url));
const LISTENING = /sil listening on (http:\/\/127\.0\.0\.1:\d+)/;

describe('outgoing webhooks under kill -9', () => {
  const tmp = tempDir('sil-wh-kill-');
  const started: SilProcess[] = [];
  let rx: Receiver;
  afterAll(async () => {
    for (const p of started) killIfRunning(p.child.pid);
    await rx?.close();
    tmp.cleanup();
  });

  const start = async (data: string) => {
    const p = spawnSil([data], { bin: CHILD });
    started.push(p);
    await p.waitFor(LISTENING, 60_000);
    return p;
  };

  it('a delivery pending at the kill arrives after the restart, with the same webhook-id, once', async () => {
    rx = await startReceiver();
    rx.answer = 503;
    const data = join(tmp.path, 'data');
    await initDataDir(data);
    // Retries 3 s apart: the kill lands between the first attempt and the second.
    rx.secret = await writeWebhook(data, 'ops', `name: ops\nurl: ${rx.url}\nevents: ["config.applied"]\nretry:\n  scheduleSeconds: [3, 3, 3, 3]\n`);
    const first = await start(data);
    await touchConfig(data, 'a change while the receiver is down');
    // Two events are queued: the first start's config.applied (a new data directory) and the change's.
    expect(await eventually(() => new Set(rx.received.map((r) => r.headers['webhook-id'])).size >= 2, 10_000)).toBe(true);
    expect(rx.received.every((r) => r.verified)).toBe(true);
    const pid = first.child.pid!;
    process.kill(pid, 'SIGKILL');
    expect(await eventually(() => !processRuns(pid), 5000)).toBe(true);
    const attemptsBefore = rx.received.length;
    const ids = [...new Set(rx.received.map((r) => r.headers['webhook-id']))];
    const firstBody = new Map(ids.map((id) => [id, rx.received.find((r) => r.headers['webhook-id'] === id)!.body]));

    rx.answer = 200;
    const second = await start(data);
    const delivered = (id: unknown) => rx.received.filter((r) => r.status === 200 && r.headers['webhook-id'] === id);
    expect(await eventually(() => ids.every((id) => delivered(id).length >= 1), 15_000)).toBe(true);
    // Nothing more comes for these events (no duplicate after success), and no new event: the
    // restart is on the commit applied last, so it is no news to subscribers.
    await new Promise((r) => setTimeout(r, 1000));
    const after = rx.received.slice(attemptsBefore);
    expect(new Set(after.map((r) => r.headers['webhook-id']))).toEqual(new Set(ids));
    for (const id of ids) {
      expect(delivered(id)).toHaveLength(1);
      expect(delivered(id)[0]!.verified).toBe(true);
      expect(delivered(id)[0]!.body).toBe(firstBody.get(id));
    }
    second.child.kill('SIGTERM');
    await second.exited();
  }, 90_000);
});
