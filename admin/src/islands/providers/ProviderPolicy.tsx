// The policy that limits every request sent to this provider (providers/<id>.yaml `policy`):
// one of the policies of policies/, or none; saved as a JSON merge patch of the provider file.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import type { Change, Loaded } from './types.ts';

export default function ProviderPolicy({ data, change }: { data: Loaded; change: Change }) {
  const current = (data.provider as { policy?: string }).policy ?? '';
  const [names, setNames] = useState<string[] | null>(null);
  const [value, setValue] = useState(current);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.get<{ policies: { name: string }[] }>('/api/policies').then((r) => setNames(r.policies.map((p) => p.name).sort()), setError);
  }, []);

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await change('PATCH', `/api/providers/${data.summary.id}`, { provider: { policy: value || null } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const options = names === null ? [] : [...new Set(['', ...names, ...(current ? [current] : [])])];
  return (
    <section class="pv-panel-box" aria-labelledby="pv-policy-title">
      <h2 id="pv-policy-title">{t('providers.policy')}</h2>
      <form class="pv-form" onSubmit={save} noValidate>
        <div class="field">
          <label for="pv-policy">{t('providers.policy.label')}</label>
          <select id="pv-policy" value={value} disabled={names === null} aria-describedby="pv-policy-help" onChange={(e) => setValue((e.currentTarget as HTMLSelectElement).value)}>
            {options.map((o) => <option key={o} value={o}>{o || t('providers.policy.none')}</option>)}
          </select>
          <p id="pv-policy-help" class="field-help">{t('providers.policy.help')}</p>
        </div>
        {error ? <ApiErrorView error={error} /> : null}
        <div class="pv-form-actions">
          <button type="submit" class="button" disabled={busy || value === current}>{t('providers.save')}</button>
          <a href="/policies">{t('providers.policy.manage')}</a>
        </div>
      </form>
    </section>
  );
}
