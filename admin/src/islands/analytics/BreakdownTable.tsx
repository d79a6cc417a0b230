// A breakdown answer as a table, busiest first: requests, success rate, latency, cost and tokens
// per provider / binding / client / model / key. It scrolls sideways on narrow screens.
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import type { BreakdownAnswer } from '../../lib/analytics.ts';

export default function BreakdownTable({ answer, f, caption }: { answer: BreakdownAnswer; f: Formats; caption?: string }) {
  const rows = [...answer.rows].sort((a, b) => b.requests - a.requests || a.label.localeCompare(b.label));
  if (!rows.length) return <p class="an-empty">{t('analytics.empty')}</p>;
  const cols = ['requests', 'errors', 'success', 'p50', 'p95', 'cost', 'inputTokens', 'outputTokens'];
  return (
    <div class="an-table-wrap" tabindex={0} role="region" aria-label={caption ?? t(`analytics.by.${answer.by}`)}>
      <table class="an-table" data-by={answer.by}>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            <th scope="col">{t(`analytics.by.${answer.by}`)}</th>
            {cols.map((c) => <th scope="col" key={c}>{t(`analytics.col.${c}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-key={r.key}>
              <th scope="row"><code dir="ltr">{r.label}</code></th>
              <td>{f.number(r.requests)}</td>
              <td>{f.number(r.errors)}</td>
              <td>{f.percent(r.successRate)}</td>
              <td>{f.ms(r.p50Ms)}</td>
              <td>{f.ms(r.p95Ms)}</td>
              <td>{f.money(r.cost, answer.currency)}</td>
              <td>{f.number(r.inputTokens)}</td>
              <td>{f.number(r.outputTokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
