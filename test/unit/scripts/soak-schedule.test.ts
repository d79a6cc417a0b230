// The soak's chaos schedule: every kind of event at least once, at fixed fractions of the run,
// none in its last 15 %, config pushes every few minutes.
import { describe, it, expect } from 'vitest';
import { chaosLabel, chaosSchedule, configPushCount, outageMs, type ChaosKind } from '../../../scripts/soak/schedule.ts';

const KINDS: ChaosKind[] = ['config-push', 'outage-503', 'outage-refuse', 'outage-end', 'key-rotation', 'instance-restart', 'redis-restart'];
const MIN = 60_000;

describe('soak chaos schedule', () => {
  for (const minutes of [1, 3, 30, 48 * 60]) {
    it(`${minutes} min: every kind at least once, in order, inside 10–85 % of the run`, () => {
      const runMs = minutes * MIN;
      const events = chaosSchedule(runMs);
      for (const k of KINDS) expect(events.some((e) => e.kind === k), k).toBe(true);
      for (let i = 1; i < events.length; i++) expect(events[i]!.atMs).toBeGreaterThanOrEqual(events[i - 1]!.atMs);
      for (const e of events) {
        expect(e.atMs).toBeGreaterThanOrEqual(runMs * 0.1);
        expect(e.atMs).toBeLessThanOrEqual(runMs * 0.85);
      }
    });
  }

  it('30 min: an outage of a minute (503 for half, refused for half), then a rotation at 10:30, a restart at 15:00, Redis at 19:30, 6 config pushes 3¾ min apart', () => {
    const events = chaosSchedule(30 * MIN);
    const at = (k: ChaosKind) => events.filter((e) => e.kind === k).map((e) => e.atMs);
    expect(at('outage-503')).toEqual([4.5 * MIN]);
    expect(at('outage-refuse')).toEqual([5 * MIN]);
    expect(at('outage-end')).toEqual([5.5 * MIN]);
    expect(at('key-rotation')).toEqual([10.5 * MIN]);
    expect(at('instance-restart')).toEqual([15 * MIN]);
    expect(at('redis-restart')).toEqual([19.5 * MIN]);
    const pushes = at('config-push');
    expect(pushes).toHaveLength(6);
    for (let i = 1; i < pushes.length; i++) expect(pushes[i]! - pushes[i - 1]!).toBe(3.75 * MIN);
    expect(events.filter((e) => e.kind === 'config-push').map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('scales with the run: the same fractions for 3 and 30 minutes; the outage is a tenth of a short run, a minute at most', () => {
    const short = chaosSchedule(3 * MIN).filter((e) => e.kind !== 'config-push' && !e.kind.startsWith('outage'));
    const long = chaosSchedule(30 * MIN).filter((e) => e.kind !== 'config-push' && !e.kind.startsWith('outage'));
    expect(long.map((e) => e.atMs)).toEqual(short.map((e) => e.atMs * 10));
    expect(outageMs(3 * MIN)).toBe(18_000);
    expect(outageMs(30 * MIN)).toBe(MIN);
    expect(outageMs(48 * 60 * MIN)).toBe(MIN);
    expect(configPushCount(3 * MIN)).toBe(2);
    expect(configPushCount(30 * MIN)).toBe(6);
    expect(configPushCount(60 * MIN)).toBe(12);
  });

  it('labels events for the table', () => {
    expect(chaosLabel({ kind: 'config-push', index: 2 })).toBe('config push 3');
    expect(chaosLabel({ kind: 'instance-restart', index: 0 }, 'c')).toBe('restart c');
    expect(chaosLabel({ kind: 'outage-refuse', index: 0 })).toBe('outage: primary refuses');
  });
});
