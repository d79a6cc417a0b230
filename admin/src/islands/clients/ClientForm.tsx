// Create or edit a client: name (fixed once created), environment, the bindings it may call
// (every binding of its environment, or the ones ticked), IP allowlist, policy, enabled.
// Tokens are not part of the form: they are issued on the client's page.
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { clientFormOf, clientOf, NAME, type Client, type ClientForm as Form } from '../../lib/bindings.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import type { Context } from '../bindings/data.ts';

interface Props { ctx: Context; commit: string; original: Client | null; onSaved: (name: string, commit: string) => void }
const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;

export default function ClientForm({ ctx, commit, original, onSaved }: Props) {
  const [form, setForm] = useState<Form>(() => clientFormOf(original, ctx.environments.includes('prod') ? 'prod' : ctx.environments[0]));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [badName, setBadName] = useState(false);
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const all = form.bindings.includes('*');
  const names = ctx.bindings.filter((b) => b.environment === form.environment).map((b) => b.name).sort();
  const tick = (name: string, on: boolean) => set({ bindings: on ? [...form.bindings, name] : form.bindings.filter((b) => b !== name) });

  async function submit(e: Event) {
    e.preventDefault();
    setBadName(!NAME.test(form.name.trim()));
    if (!NAME.test(form.name.trim())) return;
    setBusy(true);
    setError(null);
    try {
      const client = clientOf(form, original);
      const r = original
        ? await api.send<{ commit: string }>('PUT', `/api/clients/${original.name}`, { base: commit, client })
        : await api.send<{ commit: string }>('POST', '/api/clients', { base: commit, client });
      onSaved(client.name, r.commit);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="bd-fieldset cl-form" onSubmit={submit} noValidate aria-labelledby="cl-form-title">
      <h2 id="cl-form-title">{original ? t('clients.edit.title') : t('clients.new.title')}</h2>
      <div class="bd-grid">
        <div class="field bd-field">
          <label for="cl-name">{t('clients.field.name')}</label>
          <input id="cl-name" value={form.name} readOnly={!!original} required aria-invalid={badName ? true : undefined} aria-describedby="cl-name-help" autocomplete="off" spellcheck={false} dir="ltr" onInput={(e) => set({ name: value(e) })} />
          <p id="cl-name-help" class={badName ? 'field-error' : 'field-help'}>{t(original ? 'clients.field.name.fixed' : 'clients.field.name.help')}</p>
        </div>
        <div class="field bd-field">
          <label for="cl-env">{t('clients.field.environment')}</label>
          <select id="cl-env" value={form.environment} onChange={(e) => set({ environment: value(e), bindings: all ? ['*'] : [] })}>{ctx.environments.map((n) => <option key={n}>{n}</option>)}</select>
        </div>
        <div class="field bd-field">
          <label for="cl-policy">{t('clients.field.policy')}</label>
          <select id="cl-policy" value={form.policy} onChange={(e) => set({ policy: value(e) })}>
            <option value="">{t('bindings.field.policy.none')}</option>
            {ctx.policies.map((n) => <option key={n}>{n}</option>)}
          </select>
        </div>
      </div>
      <div class="field bd-field"><label for="cl-description">{t('clients.field.description')}</label><input id="cl-description" value={form.description} onInput={(e) => set({ description: value(e) })} /></div>
      <fieldset class="bd-conditions">
        <legend>{t('clients.field.bindings')}</legend>
        <label class="bd-check"><input type="checkbox" checked={all} onChange={(e) => set({ bindings: (e.currentTarget as HTMLInputElement).checked ? ['*'] : [] })} />{t('clients.field.bindings.all', { environment: form.environment })}</label>
        {!all ? <div class="bd-checks">{names.map((n) => <label key={n} class="bd-check"><input type="checkbox" checked={form.bindings.includes(n)} onChange={(e) => tick(n, (e.currentTarget as HTMLInputElement).checked)} /><code>{n}</code></label>)}</div> : null}
        {!all && names.length === 0 ? <p class="field-help">{t('clients.field.bindings.none', { environment: form.environment })}</p> : null}
      </fieldset>
      <div class="field bd-field">
        <label for="cl-ips">{t('clients.field.ipAllowlist')}</label>
        <textarea id="cl-ips" rows={3} value={form.ipAllowlist} dir="ltr" spellcheck={false} aria-describedby="cl-ips-help" onInput={(e) => set({ ipAllowlist: value(e) })} />
        <p id="cl-ips-help" class="field-help">{t('clients.field.ipAllowlist.help')}</p>
      </div>
      <label class="bd-check"><input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: (e.currentTarget as HTMLInputElement).checked })} />{t('clients.field.enabled')}</label>
      <ApiErrorView error={error} onReload={() => location.reload()} />
      <div class="bd-actions"><button type="submit" class="button" disabled={busy}>{original ? t('clients.save') : t('clients.create')}</button></div>
    </form>
  );
}
