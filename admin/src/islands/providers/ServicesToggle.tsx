// Services on/off: one switch per service of the template, each change one commit.
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import type { ServiceSummary } from '../../lib/providers.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import type { Change, FullTemplate } from './types.ts';

interface Props { id: string; services: ServiceSummary[]; template: FullTemplate | null; change: Change }

export default function ServicesToggle({ id, services, template, change }: Props) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState('');
  const describe = (sid: string) => template?.services.find((s) => s.id === sid)?.description;

  async function flip(s: ServiceSummary) {
    setBusy(s.id);
    setError(null);
    try {
      await change('PUT', `/api/providers/${id}/services/${s.id}`, { enabled: !s.enabled });
    } catch (e) {
      setError(e);
    } finally {
      setBusy('');
    }
  }

  return (
    <section class="pv-panel-box" aria-labelledby="pv-svc-title">
      <h2 id="pv-svc-title">{t('providers.services')}</h2>
      {services.length === 0 ? <p class="field-help">{t('providers.details.noServices')}</p> : null}
      <ul class="pv-switches">
        {services.map((s) => (
          <li key={s.id}>
            <button type="button" role="switch" aria-checked={s.enabled} class="pv-switch" disabled={busy === s.id}
              aria-describedby={`pv-svc-${s.id}`} onClick={() => void flip(s)}>
              <span class="pv-switch-track" aria-hidden="true"><span class="pv-switch-thumb" /></span>
              <span>{s.name ?? s.id}</span>
            </button>
            <span id={`pv-svc-${s.id}`} class="field-help">
              <code>{s.protocol}</code> · {s.enabled ? t('providers.details.on') : t('providers.details.off')}
              {describe(s.id) ? ` · ${describe(s.id)}` : ''}
            </span>
          </li>
        ))}
      </ul>
      {error ? <ApiErrorView error={error} /> : null}
    </section>
  );
}
