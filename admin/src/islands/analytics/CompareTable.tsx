// The targets of a binding in its order (targets no longer in it last), with the figures the
// comparison rests on.
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import type { CompareAnswer } from '../../lib/analytics.ts';

export default function CompareTable({ c, f }: { c: CompareAnswer; f: Formats }) {
  const rows = [...c.targets].sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity));
  const cols = ['order', 'target', 'requests', 'success', 'p50', 'p95', 'costPerRequest', 'cost', 'quality'];
  return (
    <div class="an-table-wrap" tabindex={0} role="region" aria-label={t('analytics.compare.table', { binding: c.binding })}>
      <table class="an-table" data-compare={c.binding}>
        <thead>
          <tr>{cols.map((x) => <th scope="col" key={x} class={x === 'target' ? 'an-start' : undefined}>{t(`analytics.col.${x}`)}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((x) => (
            <tr key={`${x.provider}/${x.model}`} data-target={`${x.provider}/${x.model}`}>
              <td>{x.order === null ? t('analytics.compare.removed') : f.number(x.order + 1)}</td>
              <th scope="row"><code dir="ltr">{x.provider}</code>{x.model ? <span class="an-muted"> · <code dir="ltr">{x.model}</code></span> : null}</th>
              <td>{f.number(x.requests)}</td>
              <td>{f.percent(x.successRate)}</td>
              <td>{f.ms(x.p50Ms)}</td>
              <td>{f.ms(x.p95Ms)}</td>
              <td>{f.money(x.costPerRequest, c.currency)}</td>
              <td>{f.money(x.cost, c.currency)}</td>
              <td>{f.percent(x.quality)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
