// The analytics screen (/analytics): the period and filters (kept in the address bar), then the
// overview (tiles and charts), the breakdown table, the comparison of one binding's targets, the
// recommendations and the limits in use. Each part reads its own API answer for the query.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { parseQuery, searchOf, type AnalyticsQuery } from '../../lib/analytics.ts';
import { loadChoices, pageFormats, type Choices } from './data.ts';
import PeriodPicker from './PeriodPicker.tsx';
import FilterBar from './FilterBar.tsx';
import Downloads from './Downloads.tsx';
import Overview from './Overview.tsx';
import Breakdown from './Breakdown.tsx';
import ComparePanel from './ComparePanel.tsx';
import Recommendations from './Recommendations.tsx';
import LimitsPanel from './LimitsPanel.tsx';

export default function AnalyticsScreen() {
  const [q, setQ] = useState<AnalyticsQuery>(() => parseQuery(location.search));
  const [choices, setChoices] = useState<Choices | null>(null);
  const f = useMemo(pageFormats, []);
  const update = (patch: Partial<AnalyticsQuery>) => setQ((old) => ({ ...old, ...patch }));
  useEffect(() => history.replaceState(history.state, '', location.pathname + searchOf(q)), [q]);
  useEffect(() => void loadChoices(q).then(setChoices), [q.period, q.from, q.to]);
  return (
    <div class="an-screen">
      <div class="an-toolbar">
        <PeriodPicker q={q} onChange={update} />
        <Downloads q={q} />
      </div>
      <FilterBar q={q} choices={choices} onChange={(filter) => update({ filter })} />
      <Overview q={q} f={f} />
      <Breakdown q={q} f={f} onBy={(by) => update({ by })} />
      <ComparePanel q={q} f={f} bindings={choices?.binding ?? []} onPick={(compare) => update({ compare })} />
      <Recommendations q={q} />
      <LimitsPanel f={f} />
    </div>
  );
}
