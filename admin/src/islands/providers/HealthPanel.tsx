// Health: the monitor's live status (GET /api/health/:id, polled every few seconds) with its
// reason, last probe, uptime over 24 h / 7 d / 30 d, traffic, circuit, keys and recent status
// changes; the template's health check; the recent failed requests through the proxy.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { uiStatus, uptimeText, type HealthTransition, type ProbeResult, type ProviderHealth, type ProviderSummary } from '../../lib/providers.ts';
import StatusBadge from './StatusBadge.tsx';
import type { HealthCheck } from './types.ts';

interface RequestEntry { id: string; at: string | number; provider?: string; binding?: string; model?: string; status?: number; latencyMs?: number; failoverReasons?: string[] }
interface HealthDetail { health: ProviderHealth; transitions: HealthTransition[]; probes: ProbeResult[] }

const POLL_MS = 5000;
const failed = (r: RequestEntry) => (r.status ?? 0) >= 400 || (r.failoverReasons?.length ?? 0) > 0;
const when = (ms: number) => <time dateTime={new Date(ms).toISOString()}>{new Date(ms).toLocaleString()}</time>;

function Probe({ p }: { p?: ProbeResult }) {
  if (!p) return <>{t('providers.health.never')}</>;
  return (
    <>
      {when(p.at)} · {p.ok ? t('providers.health.probeOk') : t('providers.health.probeFail')}
      {p.status !== undefined ? ` · ${p.status}` : ''} · {Math.round(p.ms)} ms{p.error && !p.ok ? ` · ${p.error}` : ''}
    </>
  );
}

function LiveHealth({ d }: { d: HealthDetail }) {
  const h = d.health;
  const recent = d.transitions.slice(-10).reverse();
  return (
    <>
      <dl class="pv-dl" data-testid="pv-health-live">
        <dt>{t('providers.health.reason')}</dt><dd>{h.reason}</dd>
        <dt>{t('providers.health.since')}</dt><dd>{when(h.since)}</dd>
        <dt>{t('providers.health.lastProbe')}</dt><dd><Probe p={h.lastProbe} /></dd>
        <dt>{t('providers.health.traffic')}</dt><dd>{t('providers.health.trafficText', { errors: h.traffic.errors, requests: h.traffic.requests, min: Math.round(h.traffic.windowMs / 60_000) })}</dd>
        <dt>{t('providers.health.circuit')}</dt><dd>{t(`providers.health.circuit.${h.circuit}`)}</dd>
      </dl>
      <h3>{t('providers.health.uptime')}</h3>
      <ul class="pv-uptime" data-testid="pv-uptime">
        {(['24h', '7d', '30d'] as const).map((w) => (
          <li key={w}><strong>{uptimeText(h.uptime[w]) ?? '—'}</strong>{t(`providers.health.uptime.${w}`)}</li>
        ))}
      </ul>
      {h.keys.length ? (
        <>
          <h3>{t('providers.health.keys')}</h3>
          <ul class="pv-errors-list">
            {h.keys.map((k) => <li key={k.keyId}><code>{k.keyId}</code> <StatusBadge status={k.status} /> <Probe p={k.lastProbe} /></li>)}
          </ul>
        </>
      ) : null}
      <h3>{t('providers.health.transitions')}</h3>
      {recent.length === 0 ? <p class="field-help">{t('providers.health.noTransitions')}</p> : (
        <ul class="pv-errors-list" data-testid="pv-transitions">
          {recent.map((x) => (
            <li key={`${x.at}-${x.to}`}>{when(x.at)} · {x.from ? `${t(`providers.status.${x.from}`)} → ` : ''}{t(`providers.status.${x.to}`)} · {x.reason}</li>
          ))}
        </ul>
      )}
    </>
  );
}

export default function HealthPanel({ id, summary, check }: { id: string; summary: ProviderSummary; check?: HealthCheck }) {
  const [errors, setErrors] = useState<RequestEntry[] | null>(null);
  const [live, setLive] = useState<HealthDetail | null>(null);
  useEffect(() => {
    api.get<{ requests: RequestEntry[] }>('/api/requests?limit=500')
      .then((r) => setErrors(r.requests.filter((q) => q.provider === id && failed(q)).slice(0, 10)), () => setErrors([]));
  }, [id]);
  useEffect(() => {
    const poll = () => api.get<HealthDetail>(`/api/health/${encodeURIComponent(id)}`).then(setLive, () => {});
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => clearInterval(timer);
  }, [id]);
  const status = live && uiStatus(summary) !== 'disabled' && summary.status !== 'error' ? live.health.status : uiStatus(summary);

  return (
    <section class="pv-panel-box" aria-labelledby="pv-health-title">
      <h2 id="pv-health-title">{t('providers.health')}</h2>
      <p aria-live="polite"><StatusBadge status={status} reason={live?.health.reason} /> <span class="field-help">{t('providers.health.live', { s: POLL_MS / 1000 })}</span></p>
      {live ? <LiveHealth d={live} /> : null}
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
