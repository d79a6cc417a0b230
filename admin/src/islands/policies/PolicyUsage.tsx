// A policy's live counters: per attachment and limit, used of max with a bar (a <meter> that
// turns amber near the limit and red at it), when it resets (rate: when the bucket is empty
// again), and how many requests it refused since the hub started.
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import { countersOf, refusedCount, usedOfMax, type LimitStatus } from '../../lib/policies.ts';
import type { LimitsAnswer } from './data.ts';

interface Props { policy: string; live: LimitsAnswer | null; f: Formats; timeZone: string }

const scopeOf = (l: LimitStatus) => `${t(`policies.kind.${l.attachedTo.kind}`)} ${l.attachedTo.name}`;

export default function PolicyUsage({ policy, live, f, timeZone }: Props) {
  if (!live) return <span class="bd-muted">{t('policies.loading')}</span>;
  const counters = countersOf(policy, live.limits);
  const refused = refusedCount(policy, live.rejections);
  return (
    <div class="po-use">
      {counters.length === 0 ? <p class="bd-muted">{t('policies.use.none')}</p> : null}
      <ul class="po-counters">
        {counters.map((l) => {
          const used = usedOfMax(l, f);
          const when = l.limit === 'rate' ? t('policies.use.empties', { duration: f.ms(Math.max(0, l.resetsAt - live.at)) }) : t('policies.use.resets', { time: f.dateTime(l.resetsAt, timeZone) });
          return (
            <li key={`${l.scope}|${l.limit}`} data-counter={`${l.limit}|${l.scope}`}>
              <span class="po-counter-head">
                <span>{t(`policies.limit.${l.limit}`)} · {scopeOf(l)}</span>
                <span class="po-used">{used}</span>
              </span>
              <meter class="po-bar" min={0} max={l.max} low={l.max * 0.8} high={l.max * 0.95} optimum={0} value={Math.min(l.used, l.max)}
                aria-label={t('policies.use.label', { limit: t(`policies.limit.${l.limit}`), scope: scopeOf(l), used })} />
              <span class="po-when bd-muted">{when}</span>
            </li>
          );
        })}
      </ul>
      {refused ? <p class="po-refused">{t('policies.use.refused', { count: f.number(refused) })}</p> : null}
    </div>
  );
}
