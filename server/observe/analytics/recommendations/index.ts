// GET /api/analytics/recommendations: every finding of the period (default 7 days), most severe
// first, each with its evidence and one action link to a console page.
import type { RollupRow } from '../../usage-store/types.ts';
import type { Recommendation, RecommendationsAnswer } from '../types.ts';
import { compareTargets } from '../compare.ts';
import { select, type AnalyticsQuery, type AnalyticsSources } from '../sources.ts';
import { cheaperTarget, noBackup, slowTargets } from './targets.ts';
import { budgetBurn, keyQuota } from './limits.ts';
import { keyRotations } from './key-rotation.ts';

const SEVERITY = { critical: 0, warning: 1, info: 2 } as const;

export async function recommendations(sources: AnalyticsSources, query: AnalyticsQuery): Promise<RecommendationsAnswer> {
  const { rows, currency, window } = await select(sources, query, '7d');
  const now = sources.now();
  const snapshot = sources.snapshot();
  const items: Recommendation[] = [];

  const byBinding = new Map<string, RollupRow[]>();
  for (const row of rows) {
    let list = byBinding.get(row.binding);
    if (!list) byBinding.set(row.binding, (list = []));
    list.push(row);
  }
  for (const binding of snapshot?.bindings.values() ?? []) {
    if (window.filter.binding && binding.name !== window.filter.binding) continue;
    const served = byBinding.get(binding.name) ?? [];
    const targets = compareTargets(binding, served, currency);
    const cheaper = cheaperTarget(binding, targets, currency);
    if (cheaper) items.push(cheaper);
    items.push(...slowTargets(binding, targets));
    const lonely = noBackup(binding, served.reduce((n, r) => n + r.requests, 0));
    if (lonely) items.push(lonely);
  }

  for (const status of sources.limits?.status(now) ?? []) {
    const found = keyQuota(status, window.timeZone) ?? budgetBurn(status, now, window.timeZone);
    if (found) items.push(found);
  }
  if (snapshot) items.push(...keyRotations(snapshot, now));

  items.sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity] || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  return { ...window, items };
}
