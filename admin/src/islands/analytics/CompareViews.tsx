// A comparison answer drawn: two scatter views (cost per request against p95 latency; p50
// latency against quality) and the table of targets in the binding's order.
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import type { CompareAnswer } from '../../lib/analytics.ts';
import CompareScatter from './CompareScatter.tsx';
import CompareTable from './CompareTable.tsx';

export default function CompareViews({ c, f }: { c: CompareAnswer; f: Formats }) {
  if (!c.targets.length) return <p class="an-empty">{t('analytics.compare.noTargets')}</p>;
  const label = (x: CompareAnswer['targets'][number]) => `${x.provider}${x.model ? ` · ${x.model}` : ''}`;
  const traffic = c.targets.some((x) => x.requests > 0);
  return (
    <>
      {traffic ? (
        <div class="an-compare-views">
          <CompareScatter
            id="cost-performance"
            title={t('analytics.compare.costPerformance')}
            hint={t('analytics.compare.costPerformance.hint')}
            x={{ label: t('analytics.col.costPerRequest'), format: (v) => f.money(v, c.currency) }}
            y={{ label: t('analytics.col.p95'), format: (v) => f.ms(v) }}
            points={c.targets.map((x) => ({ label: label(x), x: x.costPerRequest, y: x.p95Ms }))}
          />
          <CompareScatter
            id="speed-quality"
            title={t('analytics.compare.speedQuality')}
            hint={t('analytics.compare.speedQuality.hint')}
            x={{ label: t('analytics.col.p50'), format: (v) => f.ms(v) }}
            y={{ label: t('analytics.col.quality'), format: (v) => f.percent(v), range: [0, 1] }}
            points={c.targets.map((x) => ({ label: label(x), x: x.p50Ms, y: x.quality }))}
          />
        </div>
      ) : (
        <p class="an-empty">{t('analytics.empty')}</p>
      )}
      <CompareTable c={c} f={f} />
    </>
  );
}
