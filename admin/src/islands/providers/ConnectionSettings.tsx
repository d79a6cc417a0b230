// Connection settings: the template's connection fields (and a base URL override), saved as a
// JSON merge patch of the provider file; a cleared field is removed.
import { useMemo, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { fieldValues, formFields, formProblems, recheck, type FieldProblem } from '../../lib/providers.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import FieldInput from './FieldInput.tsx';
import type { Change, Loaded } from './types.ts';

export default function ConnectionSettings({ data, change }: { data: Loaded; change: Change }) {
  const current: Record<string, unknown> = data.provider.connection ?? {};
  const fields = useMemo(() => formFields({
    ...(data.template?.connection ?? {}),
    baseUrl: { title: t('providers.details.baseUrl'), description: t('providers.details.baseUrlHelp'), format: 'uri', optional: true },
  }, false), [data.template]);
  const initial = () => Object.fromEntries(fields.map((f) => [f.name, current[f.name] === undefined ? '' : String(current[f.name])]));
  const [raw, setRaw] = useState<Record<string, string>>(initial);
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function save(e: Event) {
    e.preventDefault();
    const found = formProblems(fields, raw);
    setProblems(found);
    setSaved(false);
    if (Object.keys(found).length) return;
    const values = fieldValues(fields, raw);
    const patch: Record<string, unknown> = { ...values };
    for (const f of fields) if (!(f.name in values) && current[f.name] !== undefined) patch[f.name] = null;
    setBusy(true);
    setError(null);
    try {
      await change('PATCH', `/api/providers/${data.summary.id}`, { provider: { connection: patch } });
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="pv-panel-box" aria-labelledby="pv-conn-title">
      <h2 id="pv-conn-title">{t('providers.connection')}</h2>
      <form class="pv-form" onSubmit={save} noValidate>
        {fields.map((f) => (
          <FieldInput key={f.name} field={f} prefix="pvconn" value={raw[f.name] ?? ''} problem={problems[f.name]}
            onInput={(v) => { setSaved(false); setRaw((r) => ({ ...r, [f.name]: v })); setProblems((p) => recheck(p, f, v)); }} />
        ))}
        {error ? <ApiErrorView error={error} /> : null}
        <div class="pv-form-actions">
          <button type="submit" class="button" disabled={busy}>{t('providers.save')}</button>
          {saved ? <span class="pv-ok" role="status">{t('providers.saved')}</span> : null}
        </div>
      </form>
    </section>
  );
}
