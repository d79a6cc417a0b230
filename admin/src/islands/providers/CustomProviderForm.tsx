// A custom provider, no code: base URL, auth scheme, services and health check. It becomes an
// inline `definition` (the same shape as a catalog template) in providers/<id>.yaml.
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { AUTH_TYPES, CATEGORIES, customProvider, type CustomAuth } from '../../lib/providers.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import IdentityFields, { type Identity } from './IdentityFields.tsx';
import ServiceRows, { type ServiceRow } from './ServiceRows.tsx';
import AddedNotice, { type Added } from './AddedNotice.tsx';

const NAMED: Partial<Record<CustomAuth, string>> = { header: 'X-Api-Key', authorization: 'Token', query: 'api_key' };

export default function CustomProviderForm({ environments, base }: { environments: string[]; base: string }) {
  const [who, setWho] = useState<Identity>({ id: '', name: '', environment: environments.includes('prod') ? 'prod' : environments[0] ?? 'prod' });
  const [v, setV] = useState({ category: 'Custom', baseUrl: '', auth: 'bearer' as CustomAuth, authName: '', authPrefix: '', healthPath: '', healthStatus: '200' });
  const [services, setServices] = useState<ServiceRow[]>([{ id: 'api', protocol: 'http', path: '' }]);
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<Added | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const provider = { ...customProvider({ ...who, ...v, services }), name: who.name };
      await api.send('POST', '/api/providers', { base, provider });
      setAdded({ id: who.id, name: who.name });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  if (added) return <AddedNotice added={added} />;
  const named = NAMED[v.auth];
  return (
    <form class="pv-form" onSubmit={submit} aria-labelledby="pv-custom-title">
      <h2 id="pv-custom-title">{t('providers.custom.title')}</h2>
      <IdentityFields value={who} environments={environments} onChange={setWho} />
      <fieldset>
        <legend>{t('providers.connection')}</legend>
        <div class="field pv-field"><label for="pvx-cat">{t('providers.filter.category')}</label>
          <select id="pvx-cat" value={v.category} onChange={set('category')}>{CATEGORIES.map((c) => <option key={c} value={c}>{t(`providers.category.${c}`)}</option>)}</select></div>
        <div class="field pv-field"><label for="pvx-url">{t('providers.custom.baseUrl')}<span class="pv-req" aria-hidden="true"> *</span></label>
          <input id="pvx-url" type="url" required value={v.baseUrl} onInput={set('baseUrl')} placeholder="https://api.example.com/v1" autocomplete="off" /></div>
        <div class="field pv-field"><label for="pvx-auth">{t('providers.custom.auth')}</label>
          <select id="pvx-auth" value={v.auth} onChange={set('auth')}>{AUTH_TYPES.map((a) => <option key={a} value={a}>{t(`providers.auth.${a}`)}</option>)}</select></div>
        {named ? <div class="field pv-field"><label for="pvx-an">{t(`providers.custom.authName.${v.auth}`)}</label>
          <input id="pvx-an" value={v.authName} onInput={set('authName')} placeholder={named} autocomplete="off" /></div> : null}
        {v.auth === 'header' ? <div class="field pv-field"><label for="pvx-ap">{t('providers.custom.authPrefix')}</label>
          <input id="pvx-ap" value={v.authPrefix} onInput={set('authPrefix')} placeholder="Token " autocomplete="off" /></div> : null}
      </fieldset>
      <ServiceRows rows={services} onChange={setServices} />
      <fieldset>
        <legend>{t('providers.health')}</legend>
        <div class="field pv-field"><label for="pvx-hp">{t('providers.custom.healthPath')}</label>
          <input id="pvx-hp" value={v.healthPath} onInput={set('healthPath')} placeholder="/status" aria-describedby="pvx-hp-help" autocomplete="off" />
          <p id="pvx-hp-help" class="field-help">{t('providers.custom.healthHelp')}</p></div>
        <div class="field pv-field"><label for="pvx-hs">{t('providers.custom.healthStatus')}</label>
          <input id="pvx-hs" value={v.healthStatus} onInput={set('healthStatus')} inputMode="numeric" autocomplete="off" /></div>
      </fieldset>
      {error ? <ApiErrorView error={error} /> : null}
      <div class="pv-form-actions"><button type="submit" class="button" disabled={busy}>{t('providers.add.submit')}</button></div>
    </form>
  );
}
