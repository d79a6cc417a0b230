// Outgoing webhooks through a real hub (startHub on 127.0.0.1) and a receiver on 127.0.0.1: a
// config commit's config.applied arrives signed (verified with the standardwebhooks package),
// a receiver failing twice gets three attempts with one webhook-id, and a replay resends it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startHub, type Hub } from '../../../server/main.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { eventually } from '../../helpers/sil-process.ts';
import { startReceiver, type Receiver } from './receiver.ts';
import { touchConfig, writeWebhook } from './webhook-config.ts';

describe('outgoing webhooks through a real hub', () => {
  const tmp = tempDir('sil-wh-hub-');
  const dataDir = join(tmp.path, 'data');
  let hub: Hub;
  let rx: Receiver;
  const logs: string[] = [];

  beforeAll(async () => {
    rx = await startReceiver();
    hub = await startHub({ dataDir, host: '127.0.0.1', port: 0, pollMs: 50, consoleDir: null, log: (l) => logs.push(l) });
    rx.secret = await writeWebhook(dataDir, 'ops', `name: ops\nurl: ${rx.url}\nevents: ["config.*"]\nretry:\n  scheduleSeconds: [1, 1]\n`);
    await hub.reloader.check();
  });
  afterAll(async () => {
    await hub?.close();
    await rx?.close();
    tmp.cleanup();
  });

  it('a config change arrives signed and verifies', async () => {
    await touchConfig(dataDir, 'first change');
    await hub.reloader.check();
    const commit = hub.live.snapshot!.commit;
    const mine = () => rx.received.find((r) => JSON.parse(r.body).data?.commit === commit);
    expect(await eventually(() => mine() !== undefined, 5000)).toBe(true);
    const got = mine()!;
    expect(got.verified).toBe(true);
    expect(got.headers['webhook-id']).toMatch(/^evt_/);
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    expect(got.headers['webhook-signature']).toMatch(/^v1,/);
    expect(got.headers['content-type']).toBe('application/json');
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({ type: 'config.applied', data: { commit: expect.stringMatching(/^[0-9a-f]{40}/) } });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(logs.join('\n')).not.toContain(rx.secret!);
  });

  it('a receiver failing twice gets three attempts with the same webhook-id; replay sends it again', async () => {
    await hub.webhooks.dispatcher.idle();
    rx.answer = 500;
    const before = rx.received.length;
    await touchConfig(dataDir, 'second change');
    await hub.reloader.check();
    // The deliveries of this change: the first one answered 500 names the webhook-id.
    const failed = () => rx.received.slice(before).find((r) => r.status === 500);
    expect(await eventually(() => failed() !== undefined, 6000)).toBe(true);
    const id = failed()!.headers['webhook-id'] as string;
    const ofId = () => rx.received.filter((r) => r.headers['webhook-id'] === id);
    expect(await eventually(() => ofId().length >= 2, 6000)).toBe(true);
    rx.answer = 200;
    expect(await eventually(() => ofId().length >= 3, 6000)).toBe(true);
    const three = ofId();
    expect(three.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(three.every((r) => r.verified)).toBe(true);
    // The receiver has the third attempt before the hub has read its answer: the journal follows.
    const delivery = () => hub.webhooks.dispatcher.journal.list('ops').find((x) => x.webhookId === id);
    expect(await eventually(() => delivery()?.state === 'delivered', 5000)).toBe(true);
    const d = delivery()!;
    expect(d.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(d.attempts[0]!.response).toBe('try later');

    const replay = await hub.webhooks.dispatcher.replay(d.id);
    expect(await eventually(() => ofId().length >= 4, 5000)).toBe(true);
    expect(ofId()[3]!.body).toBe(three[0]!.body);
    expect(await eventually(() => hub.webhooks.dispatcher.journal.get(replay.id)?.state === 'delivered', 5000)).toBe(true);
    expect(hub.webhooks.dispatcher.journal.get(replay.id)).toMatchObject({ state: 'delivered', replayOf: d.id });
  });
});
