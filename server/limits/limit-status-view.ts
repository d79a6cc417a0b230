// The limiter's counters as LimitStatus rows: each live counter matched with its policy as it is
// now (a counter of a limit the policy no longer has, or of a period it no longer uses, is left
// out). Pure: the counters, the snapshot and the clock come in.
import type { ConfigSnapshot } from '../config/snapshot.ts';
import type { CounterEntry } from './counter-store.ts';
import type { LimitStatus } from './limit-status.ts';
import type { WindowCache } from './calendar-window.ts';
import { parseCounterKey } from './counter-key.ts';
import { compilePolicy } from './compiled-policy.ts';
import { levelAt, msUntilEmpty } from './token-bucket.ts';

export function limitStatus(entries: Iterable<CounterEntry>, snap: ConfigSnapshot, now: number, windows: WindowCache): LimitStatus[] {
  const timeZone = snap.settings.timeZone ?? 'UTC';
  const out: LimitStatus[] = [];
  for (const e of entries) {
    const k = parseCounterKey(e.key);
    const file = k ? snap.policies.get(k.policy) : undefined;
    if (!k || !file) continue;
    const p = compilePolicy(file);
    const colon = k.scope.indexOf(':');
    const base = { policy: k.policy, attachedTo: { kind: k.attachKind, name: k.scope.slice(colon + 1) }, scope: k.scope, limit: k.kind };
    if (k.kind === 'rate') {
      if (!p.rate || e.at === undefined) continue;
      const used = levelAt(e.value, e.at, p.rate.shape, now);
      out.push({ ...base, used, max: p.rate.shape.capacity, periodStart: e.at, resetsAt: now + Math.ceil(msUntilEmpty(used, p.rate.shape)) });
      continue;
    }
    const spec = k.kind === 'quota.requests' ? p.requests : k.kind === 'quota.tokens' ? p.tokens : p.budget;
    if (!spec) continue;
    const w = windows.at(now, spec.period, timeZone);
    if (w.start !== k.windowStart) continue;
    if (k.kind === 'budget') out.push({ ...base, used: e.value, max: p.budget!.amount, currency: p.budget!.currency, periodStart: w.start, resetsAt: w.end, onExceeded: p.budget!.block ? 'block' : 'alert' });
    else out.push({ ...base, used: e.value, max: (spec as { max: number }).max, periodStart: w.start, resetsAt: w.end });
  }
  return out;
}
