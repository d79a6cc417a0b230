import { afterEach, describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryJournal } from '../../../server/webhooks/delivery-journal.ts';
import type { Delivery } from '../../../server/webhooks/types.ts';

const dirs: string[] = [];
async function tmp() {
  const d = await mkdtemp(join(tmpdir(), 'sil-wh-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const delivery = (id: string, over: Partial<Delivery> = {}): Delivery => ({ id, webhookId: `evt_${id}`, subscription: 'ops', type: 'config.applied', createdAt: 1000, body: '{}', state: 'pending', attempts: [], nextAt: 1000, ...over });

describe('delivery journal', () => {
  it('keeps deliveries across a reopen (the last line of an id wins) and skips a torn last line', async () => {
    const dir = await tmp();
    const j = await DeliveryJournal.open(dir, { now: 1000 });
    await j.save(delivery('a'), 1000);
    await j.save(delivery('b'), 1000);
    await j.save(delivery('a', { attempts: [{ at: 1000, status: 500, ms: 3 }], nextAt: 6000 }), 1000);
    // No close(): a kill -9 leaves the file as it is; add half a line as a cut-short write would.
    await appendFile(join(dir, 'deliveries.jsonl'), '{"id":"c","webhoo');
    const lines: string[] = [];
    const again = await DeliveryJournal.open(dir, { now: 2000, log: (l) => lines.push(l) });
    expect(again.pending().map((d) => d.id).sort()).toEqual(['a', 'b']);
    expect(again.get('a')!.attempts).toHaveLength(1);
    expect(again.get('a')!.webhookId).toBe('evt_a');
    expect(lines.join()).toMatch(/skipped 1 unreadable line/);
    // Compacted at open: one line per delivery.
    expect((await readFile(join(dir, 'deliveries.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(2);
    await j.close();
    await again.close();
  });

  it('drops finished deliveries past the retention, never pending ones', async () => {
    const dir = await tmp();
    const j = await DeliveryJournal.open(dir, { now: 0, retention: { maxAgeMs: 10_000, perSubscription: 2 } });
    await j.save(delivery('old', { state: 'delivered', createdAt: 0, nextAt: null }), 0);
    await j.save(delivery('oldpending', { createdAt: 0 }), 0);
    for (const n of [1, 2, 3]) await j.save(delivery(`r${n}`, { state: 'failed', createdAt: 20_000 + n, nextAt: null }), 0);
    await j.close();
    const again = await DeliveryJournal.open(dir, { now: 25_000, retention: { maxAgeMs: 10_000, perSubscription: 2 } });
    expect([...again.all()].map((d) => d.id).sort()).toEqual(['oldpending', 'r2', 'r3']);
    expect(again.list('ops').map((d) => d.id)).toEqual(['r3', 'r2', 'oldpending']);
    await again.close();
  });
});
