// The period: 1 h, 24 h, 7 d, 30 d (buttons with aria-pressed) or a custom from/to in the
// browser's time (two datetime-local fields and Apply; a wrong range is said at the fields).
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { PERIODS, customRange, fieldValue, type AnalyticsQuery } from '../../lib/analytics.ts';

export interface PeriodPickerProps {
  q: AnalyticsQuery;
  onChange(patch: Partial<AnalyticsQuery>): void;
}

export default function PeriodPicker({ q, onChange }: PeriodPickerProps) {
  const [custom, setCustom] = useState(q.period === 'custom');
  const now = Date.now();
  const [from, setFrom] = useState(fieldValue(q.from ?? now - 7 * 86_400_000));
  const [to, setTo] = useState(fieldValue(q.to ?? now));
  const [error, setError] = useState<string | null>(null);
  const apply = (e: Event) => {
    e.preventDefault();
    const r = customRange(from, to);
    if ('error' in r) return setError(r.error);
    setError(null);
    onChange({ period: 'custom', from: r.from, to: r.to });
  };
  const pressed = (p: string) => (custom ? p === 'custom' : q.period === p);
  return (
    <div class="an-period">
      <div class="switch an-period-switch" role="group" aria-label={t('analytics.period')}>
        {PERIODS.map((p) => (
          <button key={p} type="button" class="switch-button" data-period={p} aria-pressed={pressed(p)} onClick={() => (p === 'custom' ? setCustom(true) : (setCustom(false), onChange({ period: p, from: undefined, to: undefined })))}>
            {t(`analytics.period.${p}`)}
          </button>
        ))}
      </div>
      {custom ? (
        <form class="an-custom" onSubmit={apply}>
          <div class="field">
            <label for="an-from">{t('analytics.custom.from')}</label>
            <input id="an-from" type="datetime-local" value={from} onInput={(e) => setFrom(e.currentTarget.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? 'an-custom-error' : undefined} />
          </div>
          <div class="field">
            <label for="an-to">{t('analytics.custom.to')}</label>
            <input id="an-to" type="datetime-local" value={to} onInput={(e) => setTo(e.currentTarget.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? 'an-custom-error' : undefined} />
          </div>
          <button type="submit" class="button">{t('analytics.custom.apply')}</button>
          {error ? <p id="an-custom-error" class="field-error" role="alert">{t(error)}</p> : null}
        </form>
      ) : null}
    </div>
  );
}
