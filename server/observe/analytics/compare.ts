// GET /api/analytics/compare?binding=NAME: the binding's targets side by side — the live
// config's targets in their order, then providers/models that served the binding in the period
// but are no longer targets — with cost per request and quality (quality.ts).
import { SilError } from '../../errors.ts';
import type { CompiledBinding } from '../../config/snapshot.ts';
import type { RollupRow } from '../usage-store/types.ts';
import type { CompareAnswer } from './types.ts';
import { addRow, emptyTally, summarize, type Tally } from './summary.ts';
import { costPerRequest, quality } from './quality.ts';
import { select, type AnalyticsQuery, type AnalyticsSources } from './sources.ts';

export type CompareTarget = CompareAnswer['targets'][number];

interface Slot { provider: string; model: string; order: number | null; tally: Tally }

/**
 * The binding's targets with the rows each served. A row goes to the target of its provider
 * naming its model; a target without a model takes its provider's rows no other target claims.
 * Rows of no target (sil refused before an attempt) are left out.
 */
export function compareTargets(binding: Pick<CompiledBinding, 'targets'> | undefined, rows: readonly RollupRow[], currency: string): CompareTarget[] {
  const slots: Slot[] = [];
  const exact = new Map<string, Slot>();
  const anyModel = new Map<string, Slot>();
  for (const [order, t] of (binding?.targets ?? []).entries()) {
    const model = t.model ?? '';
    const key = `${t.provider}\n${model}`;
    if (t.model ? exact.has(key) : anyModel.has(t.provider)) continue; // the same target twice (another service or key)
    const slot: Slot = { provider: t.provider, model, order, tally: emptyTally() };
    slots.push(slot);
    if (t.model) exact.set(key, slot);
    else anyModel.set(t.provider, slot);
  }
  for (const row of rows) {
    if (!row.provider) continue;
    const key = `${row.provider}\n${row.model}`;
    let slot = exact.get(key) ?? anyModel.get(row.provider);
    if (!slot) {
      slot = { provider: row.provider, model: row.model, order: null, tally: emptyTally() };
      slots.push(slot);
      exact.set(key, slot);
    }
    addRow(slot.tally, row, currency);
  }
  const current = slots.filter((s) => s.order !== null);
  const former = slots.filter((s) => s.order === null).sort((a, b) => b.tally.requests - a.tally.requests || a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
  return [...current, ...former].map((s) => {
    const summary = summarize(s.tally);
    return { provider: s.provider, model: s.model, order: s.order, ...summary, costPerRequest: costPerRequest(summary), quality: quality(summary) };
  });
}

export async function compare(sources: AnalyticsSources, query: AnalyticsQuery): Promise<CompareAnswer> {
  const name = query.binding;
  if (!name) throw new SilError('SIL_ANALYTICS_QUERY', 'binding: name the binding whose targets to compare (?binding=chat)');
  const binding = sources.snapshot()?.bindings.get(name);
  const { rows, currency, window } = await select(sources, query);
  if (!binding && rows.length === 0) throw new SilError('SIL_ANALYTICS_QUERY', `binding: there is no binding "${name.slice(0, 63)}" and it served nothing in the period`);
  return { ...window, binding: name, targets: compareTargets(binding, rows, currency) };
}
