// Recommendations about a binding's targets, from the period's figures per target:
// cheaper-target (same quality for less), slow-target (p95 far above its peers) and no-backup
// (nothing to fail over to). Thresholds in thresholds.ts.
import type { CompiledBinding } from '../../../config/snapshot.ts';
import type { Recommendation } from '../types.ts';
import type { CompareTarget } from '../compare.ts';
import { THRESHOLDS } from './thresholds.ts';
import { LINKS, money, percent } from './format.ts';

const name = (t: Pick<CompareTarget, 'provider' | 'model'>) => (t.model ? `${t.provider}/${t.model}` : t.provider);

const counted = (targets: readonly CompareTarget[]) => targets.filter((t) => t.order !== null && t.requests >= THRESHOLDS.minRequests);

/**
 * A target that served the binding for less per request with a quality within the tolerance of
 * one the binding prefers (earlier in a priority order; any other for the other strategies).
 * One finding per binding: the pair that would have saved the most over the period.
 */
export function cheaperTarget(binding: Pick<CompiledBinding, 'name' | 'strategy'>, targets: readonly CompareTarget[], currency: string): Recommendation | null {
  const ok = counted(targets).filter((t) => t.costPerRequest !== null && t.quality !== null);
  let best: { a: CompareTarget; b: CompareTarget; saving: number } | null = null;
  for (const a of ok) {
    for (const b of ok) {
      if (a === b || a.costPerRequest! <= 0) continue;
      if (binding.strategy === 'priority' && a.order! > b.order!) continue;
      if (b.costPerRequest! > THRESHOLDS.cheaperShare * a.costPerRequest!) continue;
      if (b.quality! < a.quality! - THRESHOLDS.qualityTolerance) continue;
      const saving = (a.costPerRequest! - b.costPerRequest!) * a.requests;
      if (!best || saving > best.saving) best = { a, b, saving };
    }
  }
  if (!best) return null;
  const { a, b, saving } = best;
  const less = 1 - b.costPerRequest! / a.costPerRequest!;
  const [preferred, cheaper] = [name(a), name(b)];
  return {
    id: `cheaper-target:${binding.name}`,
    kind: 'cheaper-target',
    severity: 'info',
    title: `${binding.name}: ${cheaper} costs ${percent(less)} less per request than ${preferred} with the same quality`,
    detail: `Over the period ${cheaper} answered with a quality of ${percent(b.quality)} against ${percent(a.quality)} for ${preferred}, at ${money(b.costPerRequest!, currency)} per request instead of ${money(a.costPerRequest!, currency)}. Moving it ahead of ${preferred} would have saved about ${money(saving, currency)}.`,
    text: {
      id: 'cheaper-target',
      params: {
        binding: binding.name, preferred, cheaper, less, currency,
        preferredRequests: a.requests, preferredQuality: a.quality!, preferredCostPerRequest: a.costPerRequest!,
        cheaperRequests: b.requests, cheaperQuality: b.quality!, cheaperCostPerRequest: b.costPerRequest!,
        saving,
      },
    },
    evidence: {
      preferredRequests: a.requests,
      preferredQuality: percent(a.quality),
      preferredCostPerRequest: a.costPerRequest!,
      cheaperRequests: b.requests,
      cheaperQuality: percent(b.quality),
      cheaperCostPerRequest: b.costPerRequest!,
      saving: Math.round(saving * 1e8) / 1e8,
    },
    action: { id: 'reorder-targets', label: `Reorder the targets of ${binding.name}`, href: LINKS.binding(binding.name) },
  };
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Targets whose p95 latency is far above the median p95 of the binding's other targets. */
export function slowTargets(binding: Pick<CompiledBinding, 'name'>, targets: readonly CompareTarget[]): Recommendation[] {
  const timed = counted(targets).filter((t) => t.p95Ms !== null);
  const out: Recommendation[] = [];
  for (const t of timed) {
    const peers = timed.filter((p) => p !== t).map((p) => p.p95Ms!);
    if (peers.length === 0) continue;
    const peerP95 = median(peers);
    if (t.p95Ms! < THRESHOLDS.slowRatio * peerP95 || t.p95Ms! - peerP95 < THRESHOLDS.slowGapMs) continue;
    const ratio = Math.round((t.p95Ms! / Math.max(peerP95, 1)) * 10) / 10;
    const params: Record<string, string | number> = { binding: binding.name, target: name(t), requests: t.requests, p95Ms: t.p95Ms!, peerP95Ms: peerP95, ratio };
    if (t.p50Ms !== null) params.p50Ms = t.p50Ms;
    if (t.successRate !== null) params.successRate = t.successRate;
    out.push({
      id: `slow-target:${binding.name}:${name(t)}`,
      kind: 'slow-target',
      severity: 'warning',
      title: `${binding.name}: ${name(t)} is much slower than the other targets`,
      detail: `Its p95 latency was ${Math.round(t.p95Ms!)} ms over the period; the other targets' median p95 was ${Math.round(peerP95)} ms (${ratio.toFixed(1)}×). Consider moving it back in the order or choosing the least-latency strategy.`,
      text: { id: 'slow-target', params },
      evidence: { requests: t.requests, p95Ms: t.p95Ms!, peerP95Ms: peerP95, p50Ms: t.p50Ms ?? '—', successRate: percent(t.successRate) },
      action: { id: 'edit-binding', label: `Edit ${binding.name}`, href: LINKS.binding(binding.name) },
    });
  }
  return out;
}

/** An enabled binding whose targets are all one provider: nothing to fail over to when it is down. */
export function noBackup(binding: Pick<CompiledBinding, 'name' | 'enabled' | 'targets'>, requests: number): Recommendation | null {
  if (!binding.enabled || binding.targets.length === 0) return null;
  const providers = [...new Set(binding.targets.map((t) => t.provider))];
  if (providers.length > 1) return null;
  const one = binding.targets.length === 1;
  return {
    id: `no-backup:${binding.name}`,
    kind: 'no-backup',
    severity: 'warning',
    title: one ? `${binding.name} has no backup target` : `${binding.name}: every target is on ${providers[0]}`,
    detail: `${one ? 'Its only target is' : 'All its targets use'} ${providers[0]}: when that provider fails or refuses, requests fail too. Add a target on another provider to fail over to.`,
    text: { id: one ? 'no-backup.single' : 'no-backup.same-provider', params: { binding: binding.name, provider: providers[0], targets: binding.targets.length, requestsInPeriod: requests } },
    evidence: { targets: binding.targets.length, providers: providers[0], requestsInPeriod: requests },
    action: { id: 'add-target', label: `Add a target to ${binding.name}`, href: LINKS.binding(binding.name) },
  };
}
