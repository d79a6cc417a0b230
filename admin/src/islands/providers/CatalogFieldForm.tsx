// Adding a provider from a catalog template: id, name, environment, the template's connection
// fields, and optionally its first key (the credential fields, sent once, never shown again).
import { useMemo, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { fieldValues, formFields, formProblems, recheck, secretBody, slugify, type FieldProblem } from '../../lib/providers.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import FieldInput from './FieldInput.tsx';
import IdentityFields, { type Identity } from './IdentityFields.tsx';
import AddedNotice, { type Added } from './AddedNotice.tsx';
import type { Template } from './types.ts';

type KeyAnswer = { commit: string; key?: { id: string; mask: string; fingerprint: string } };

export default function CatalogFieldForm({ template, environments, base }: { template: Template; environments: string[]; base: string }) {
  const [who, setWho] = useState<Identity>({ id: slugify(template.id), name: template.name, environment: environments.includes('prod') ? 'prod' : environments[0] ?? 'prod' });
  const [option, setOption] = useState('');
  const [raw, setRaw] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<Added | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState('');
  const conn = useMemo(() => formFields(template.connection, false), [template]);
  const creds = useMemo(() => formFields((option && template.authOptions?.[option]?.credentials) || template.credentials, true).map((f) => ({ ...f, name: `secret.${f.name}` })), [template, option]);
  const keyGiven = creds.some((f) => (raw[f.name] ?? '') !== '');

  async function submit(e: Event) {
    e.preventDefault();
    const found = { ...formProblems(conn, raw), ...(keyGiven ? formProblems(creds, raw) : {}) };
    setProblems(found);
    if (Object.keys(found).length) return void document.getElementById(`pvc-${Object.keys(found)[0]}`)?.focus();
    setBusy(true);
    setError(null);
    try {
      const connection = fieldValues(conn, raw);
      const provider = { id: who.id, template: template.id, name: who.name, environment: who.environment, ...(option ? { authOption: option } : {}), ...(Object.keys(connection).length ? { connection } : {}) };
      // When the provider was added but its key was refused, a retry only adds the key.
      const commit = created || (await api.send<{ commit: string }>('POST', '/api/providers', { base, provider })).commit;
      setCreated(commit);
      let key: KeyAnswer['key'];
      if (keyGiven) {
        const secret = secretBody(creds.map((f) => ({ ...f, name: f.name.slice(7) })), Object.fromEntries(creds.map((f) => [f.name.slice(7), raw[f.name] ?? ''])));
        key = (await api.send<KeyAnswer>('POST', `/api/providers/${who.id}/keys`, { base: commit, secret })).key;
      }
      setRaw({});
      setAdded({ id: who.id, name: who.name, key });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (added) return <AddedNotice added={added} />;
  const field = (f: (typeof conn)[number]) => <FieldInput key={f.name} field={f} prefix="pvc" value={raw[f.name] ?? ''} problem={problems[f.name]} onInput={(v) => { setRaw((r) => ({ ...r, [f.name]: v })); setProblems((p) => recheck(p, f, v)); }} />;
  return (
    <form class="pv-form" onSubmit={submit} noValidate aria-labelledby="pv-tpl-title">
      <h2 id="pv-tpl-title">{t('providers.add.from', { name: template.name })}</h2>
      {template.description ? <p class="field-help">{template.description}</p> : null}
      <IdentityFields value={who} environments={environments} onChange={setWho} />
      {template.authOptions ? (
        <div class="field pv-field">
          <label for="pvc-auth">{t('providers.add.authOption')}</label>
          <select id="pvc-auth" value={option} onChange={(e) => setOption((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('providers.add.authDefault')}</option>
            {Object.entries(template.authOptions).map(([k, o]) => <option key={k} value={k}>{o.title ?? k}</option>)}
          </select>
        </div>
      ) : null}
      {conn.length ? <fieldset><legend>{t('providers.connection')}</legend>{conn.map(field)}</fieldset> : null}
      {creds.length ? (
        <fieldset>
          <legend>{t('providers.add.firstKey')}</legend>
          <p class="field-help">{t('providers.add.firstKeyHelp')}</p>
          {creds.map(field)}
        </fieldset>
      ) : null}
      {error ? <ApiErrorView error={error} /> : null}
      <div class="pv-form-actions"><button type="submit" class="button" disabled={busy}>{t('providers.add.submit')}</button></div>
    </form>
  );
}
