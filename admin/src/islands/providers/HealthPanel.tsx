// Health: the template's health check, the provider's status and problems, and the recent
// failed requests through the proxy (from GET /api/requests).
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { uiStatus, type ProviderSummary } from '../../lib/providers.ts';
import StatusBadge from './StatusBadge.tsx';
import type { HealthCheck } from './types.ts';

interface RequestEntry { id: string; at: string | number; provider?: string; binding?: string; model?: string; status?: number; latencyMs?: number; failoverReasons?: string[] }

const failed = (r: RequestEntry) => (r.status ?? 0) >= 400 || (r.failoverReasons?.length ?? 0) > 0;

export default function HealthPanel({ id, summary, check }: { id: string; summary: ProviderSummary; check?: HealthCheck }) {
  const [errors, setErrors] = useState<RequestEntry[] | null>(null);
  useEffect(() => {
    api.get<{ requests: RequestEntry[] }>('/api/requests?limit=500')
      .then((r) => setErrors(r.requests.filter((q) => q.provider === id && failed(q)).slice(0, 10)), () => setErrors([]));
  }, [id]);

  return (
    <section class="pv-panel-box" aria-labelledby="pv-health-title">
      <h2 id="pv-health-title">{t('providers.health')}</h2>
      <p><StatusBadge status={uiStatus(summary)} /></p>
      <dl class="pv-dl">
        <dt>{t('providers.health.check')}</dt>
        <dd>
          {!check || check.kind === 'passive' ? t('providers.health.passive')
            : check.kind === 'token' ? t('providers.health.token')
              : <code>{check.method ?? 'GET'} {check.path ?? '/'}</code>}
          {check?.expect?.status ? ` → ${check.expect.status.join(', ')}` : ''}
        </dd>
        {check && check.kind !== 'passive' ? <><dt>{t('providers.health.interval')}</dt><dd>{t('providers.health.seconds', { s: check.intervalSeconds ?? 60 })}</dd></> : null}
      </dl>
      <h3>{t('providers.health.recent')}</h3>
      {errors === null ? <p role="status">{t('providers.loading')}</p> : errors.length === 0 ? <p class="field-help">{t('providers.health.noErrors')}</p> : (
        <ul class="pv-errors-list">
          {errors.map((r) => (
            <li key={r.id}>
              <time dateTime={new Date(r.at).toISOString()}>{new Date(r.at).toLocaleString()}</time>{' '}
              <span class="pv-chip pv-chip-err">{r.status ?? '—'}</span>{' '}
              {[r.binding, r.model].filter(Boolean).join(' · ')}
              {r.latencyMs !== undefined ? ` · ${Math.round(r.latencyMs)} ms` : ''}
              {r.failoverReasons?.length ? ` · ${t('providers.health.failover', { reasons: r.failoverReasons.join(', ') })}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
