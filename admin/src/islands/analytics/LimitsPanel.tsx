// The limits in use now (GET /api/limits): each policy's counter, how much of it is used and when
// it resets. Hidden when no policy is attached or the hub has no limiter (404).
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import type { LimitStatus } from '../../lib/analytics.ts';
import { asApiError } from '../../lib/api-error.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import { useRead } from './data.ts';

export default function LimitsPanel({ f }: { f: Formats }) {
  const read = useRead<LimitStatus[] | { limits: LimitStatus[] }>('/api/limits');
  const error = read.error;
  const data = Array.isArray(read.data) ? read.data : read.data?.limits;
  if (error && asApiError(error).status === 404) return null;
  if (!error && !data?.length) return null;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const amount = (l: LimitStatus, v: number) => (l.limit === 'budget' && l.currency ? f.money(v, l.currency) : f.number(v));
  return (
    <section class="an-section" aria-labelledby="an-limits-title">
      <h2 id="an-limits-title">{t('analytics.limits')}</h2>
      <ApiErrorView error={error} />
      {data?.length ? (
        <div class="an-table-wrap" tabindex={0} role="region" aria-label={t('analytics.limits')}>
          <table class="an-table">
            <thead>
              <tr>{['policy', 'attachedTo', 'limit', 'used', 'resets'].map((c) => <th scope="col" key={c} class={c === 'attachedTo' || c === 'limit' ? 'an-start' : undefined}>{t(`analytics.limits.${c}`)}</th>)}</tr>
            </thead>
            <tbody>
              {data.map((l) => (
                <tr key={`${l.policy}|${l.scope}|${l.limit}`} data-limit={`${l.policy}|${l.limit}`}>
                  <th scope="row"><code dir="ltr">{l.policy}</code></th>
                  <td class="an-start">{t(`analytics.limits.kind.${l.attachedTo.kind}`)} <code dir="ltr">{l.attachedTo.name}</code></td>
                  <td class="an-start">{t(`analytics.limits.limit.${l.limit}`)}</td>
                  <td>
                    <meter min={0} max={l.max} value={Math.min(l.used, l.max)} aria-hidden="true" /> {amount(l, l.used)} / {amount(l, l.max)}
                  </td>
                  <td>{f.dateTime(l.resetsAt, zone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
