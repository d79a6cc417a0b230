// Passive health of several instances (server/cluster/shared-health-passive.ts): the traffic
// judged is this instance's plus its peers' fresh reports, the circuits everyone's; a report is
// this instance's own figures; stale or unreadable reports are left out and named for removal.
import { describe, it, expect } from 'vitest';
import { ClusterPassive, freshReports, type PassiveReport } from '../../../../server/cluster/shared-health-passive.ts';
import { TrafficWindow } from '../../../../server/observe/health/traffic-window.ts';
import type { CircuitState } from '../../../../server/observe/health/status-rules.ts';
import type { RequestOutcome } from '../../../../server/observe/usage-recorder.ts';

const attempt = (provider: string, status: number) => ({ provider, keyId: 'k1', outcome: 'answered', status }) as unknown as RequestOutcome['attemptRecords'][number];

describe('ClusterPassive', () => {
  const now = 1_000_000;
  const local = new TrafficWindow();
  local.outcome({ at: now - 1000, attemptRecords: [attempt('a', 200), attempt('a', 500)] } as unknown as RequestOutcome);
  const circuits: [string, CircuitState][] = [['a/chat/k1', 'closed']];

  it('without peers: this instance\'s figures, as on a single hub', () => {
    const p = new ClusterPassive(local, () => circuits);
    expect(p.windowMs).toBe(local.windowMs);
    expect(p.provider('a', now)).toEqual({ requests: 2, errors: 1 });
    expect(p.circuits()).toEqual(circuits);
    expect(p.report('me', ['a', 'b'], now)).toEqual({ instance: 'me', at: now, traffic: { a: [2, 1] }, circuits });
  });

  it('with peers: traffic added up, circuits of all', () => {
    const p = new ClusterPassive(local, () => circuits);
    p.setPeers([{ instance: 'x', at: now, traffic: { a: [3, 3], b: [1, 0] }, circuits: [['a/chat/k1', 'open']] }]);
    expect(p.provider('a', now)).toEqual({ requests: 5, errors: 4 });
    expect(p.provider('b', now)).toEqual({ requests: 1, errors: 0 });
    expect(p.circuits()).toEqual([['a/chat/k1', 'closed'], ['a/chat/k1', 'open']]);
  });

  it('freshReports: skips its own, keeps the fresh, names the stale and unreadable', () => {
    const r = (at: number): string => JSON.stringify({ instance: '?', at, traffic: {}, circuits: [] } satisfies PassiveReport);
    const { fresh, stale } = freshReports({ me: r(now), x: r(now - 1000), old: r(now - 20_000), bad: 'nope' }, 'me', now, 15_000);
    expect(fresh.map((f) => f.instance)).toEqual(['x']);
    expect(stale.sort()).toEqual(['bad', 'old']);
  });
});
