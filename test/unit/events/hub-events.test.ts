import { describe, it, expect } from 'vitest';
import { HubEvents, eventMatches, newEventId } from '../../../server/events/hub-events.ts';
import { rotatedKeys } from '../../../server/events/config-events.ts';
import type { ConfigSnapshot } from '../../../server/config/snapshot.ts';

describe('hub events', () => {
  it('hands each event to every listener in order, goes on past one that throws, and stops after off', () => {
    const errors: string[] = [];
    const bus = new HubEvents({ now: () => 42, onError: (err, e) => errors.push(`${e.type}: ${(err as Error).message}`) });
    const seen: string[] = [];
    bus.on(() => { throw new Error('boom'); });
    const off = bus.on((e) => seen.push(`${e.type} ${e.at} ${String(e.data.commit)} ${e.environment ?? '-'}`));
    const e = bus.emit('config.applied', { commit: 'abc' }, 'prod');
    expect(e.id).toMatch(/^evt_[a-z2-7]{24}$/);
    expect(seen).toEqual(['config.applied 42 abc prod']);
    expect(errors).toEqual(['config.applied: boom']);
    off();
    bus.emit('config.applied', { commit: 'def' });
    expect(seen).toHaveLength(1);
  });

  it('holds what is emitted while the hub starts and hands it, in order, to the listeners there are at release', () => {
    const bus = new HubEvents({ held: true });
    const early = bus.emit('config.applied', { commit: 'a' });
    bus.emit('key.rotated', { provider: 'openai' });
    const seen: string[] = [];
    bus.on((e) => seen.push(`${e.type} ${e.id === early.id ? 'same id' : e.id}`.split(' evt_')[0]!));
    expect(seen).toEqual([]);
    bus.release();
    expect(seen).toEqual(['config.applied same id', 'key.rotated']);
    bus.emit('config.applied', { commit: 'b' });
    expect(seen).toHaveLength(3);
  });

  it('makes unique ids and matches subscription patterns', () => {
    expect(new Set(Array.from({ length: 1000 }, newEventId)).size).toBe(1000);
    expect(eventMatches('*', 'alert.firing')).toBe(true);
    expect(eventMatches('alert.*', 'alert.firing')).toBe(true);
    expect(eventMatches('alert.*', 'alerts.firing')).toBe(false);
    expect(eventMatches('alert.firing', 'alert.firing')).toBe(true);
    expect(eventMatches('alert.firing', 'alert.resolved')).toBe(false);
  });
});

describe('key rotations between two snapshots', () => {
  const snap = (keys: Record<string, { id: string; fingerprint: string } | undefined>) => ({
    keyrings: new Map(Object.entries(keys).map(([p, k]) => [p, { defaultKey: k }])),
    providers: new Map(Object.keys(keys).map((p) => [p, { environment: 'prod' }])),
  }) as unknown as ConfigSnapshot;

  it('reports a new default key or a new secret under the same id, nothing else', () => {
    const a = snap({ openai: { id: 'k1', fingerprint: 'sha256:aa…1111' }, stripe: { id: 's1', fingerprint: 'sha256:bb…2222' }, twilio: undefined });
    expect(rotatedKeys(null, a)).toEqual([]);
    expect(rotatedKeys(a, a)).toEqual([]);
    const b = snap({ openai: { id: 'k2', fingerprint: 'sha256:cc…3333' }, stripe: { id: 's1', fingerprint: 'sha256:dd…4444' }, twilio: { id: 't1', fingerprint: 'x' } });
    expect(rotatedKeys(a, b)).toEqual([
      { provider: 'openai', environment: 'prod', keyId: 'k2', fingerprint: 'sha256:cc…3333', previousKeyId: 'k1', previousFingerprint: 'sha256:aa…1111' },
      { provider: 'stripe', environment: 'prod', keyId: 's1', fingerprint: 'sha256:dd…4444', previousKeyId: 's1', previousFingerprint: 'sha256:bb…2222' },
    ]);
  });

  it('ignores keyrings that are not providers\' (an outgoing webhook\'s signing secret rotated)', () => {
    const withHook = (hookKey: { id: string; fingerprint: string }) => {
      const s = snap({ openai: { id: 'k1', fingerprint: 'sha256:aa…1111' } }) as unknown as { keyrings: Map<string, unknown> };
      s.keyrings.set('webhook-ops', { defaultKey: hookKey });
      return s as unknown as ConfigSnapshot;
    };
    const a = withHook({ id: 'primary', fingerprint: 'sha256:ee…5555' });
    const b = withHook({ id: 'next', fingerprint: 'sha256:ff…6666' });
    expect(rotatedKeys(a, b)).toEqual([]);
  });
});
