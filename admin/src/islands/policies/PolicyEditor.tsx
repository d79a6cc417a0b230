// Create (?new=1) or edit (?name=<policy>) one policy: name, description, and the optional rate
// limit, quota and budget. Save sends the whole document (PUT, or POST when new) based on the
// commit the page was read at; the validator's refusal (422) and a conflict (409, with Reload)
// are shown in place. Delete asks first; the hub refuses while something names the policy.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { deleteNamedFile, saveNamedFile } from '../../lib/named-file-write.ts';
import { formProblems, policyFormOf, policyOf, type Policy, type PolicyForm } from '../../lib/policies.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import ConfirmDialog from '../bindings/ConfirmDialog.tsx';
import BackLink from '../bindings/BackLink.tsx';
import GeneralFields from './GeneralFields.tsx';
import RateFields from './RateFields.tsx';
import QuotaFields from './QuotaFields.tsx';
import BudgetFields from './BudgetFields.tsx';
import { get } from './data.ts';

export default function PolicyEditor({ name }: { name: string | null }) {
  const [data, setData] = useState<{ commit: string; original: Policy | null } | null>(null);
  const [form, setForm] = useState<PolicyForm | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<Partial<Record<string, true>>>({});
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(false);

  async function load(which = name) {
    const r = which ? await get<{ commit: string; policy: Policy }>(`/api/policies/${encodeURIComponent(which)}`) : { ...(await get<{ commit: string }>('/api/policies')), policy: null };
    setData({ commit: r.commit, original: r.policy });
    setForm(policyFormOf(r.policy));
  }
  useEffect(() => void load().catch(setError), []);
  if (!data || !form) return error ? <ApiErrorView error={error} /> : <p role="status">{t('policies.loading')}</p>;

  const set = (patch: Partial<PolicyForm>) => { setForm({ ...form, ...patch }); setSaved(''); };
  const part = <K extends 'rate' | 'quota' | 'budget'>(key: K) => (patch: Partial<PolicyForm[K]>) => set({ [key]: { ...form[key], ...patch } });
  const act = (fn: () => Promise<void>) => (setBusy(true), setError(null), setSaved(''), fn().catch(setError).finally(() => setBusy(false)));
  const save = (e: Event) => {
    e.preventDefault();
    const found = formProblems(form);
    setProblems(found);
    if (Object.keys(found).length) return;
    void act(async () => {
      const policy = policyOf(form, data.original);
      const commit = await saveNamedFile('policies', 'policy', policy.name, !!data.original, data.commit, policy);
      await load(policy.name);
      setSaved(t('policies.saved', { commit: commit.slice(0, 7) }));
    });
  };
  const remove = () => act(() => deleteNamedFile('policies', data.original!.name, data.commit));
  const alerts = data.original?.alerts?.length ?? 0;

  return (
    <form class="bd-editor" onSubmit={save} noValidate aria-labelledby="po-editor-title">
      <BackLink href="/policies" label={t('policies.back')} />
      <h2 id="po-editor-title">{data.original ? t('policies.edit.title', { name: data.original.name }) : t('policies.new.title')}</h2>
      <GeneralFields form={form} set={set} isNew={!data.original} problems={problems} />
      <RateFields rate={form.rate} set={part('rate')} problems={problems} />
      <QuotaFields quota={form.quota} set={part('quota')} problems={problems} />
      <BudgetFields budget={form.budget} set={part('budget')} problems={problems} />
      {alerts ? <p class="notice">{t('policies.alerts.kept', { count: alerts, name: data.original!.name })}</p> : null}
      <ApiErrorView error={confirm ? null : error} onReload={() => location.reload()} />
      {saved ? <p class="notice notice-ok" role="status">{saved}</p> : null}
      <div class="bd-actions">
        <button type="submit" class="button" disabled={busy}>{data.original ? t('policies.save') : t('policies.create')}</button>
        {data.original ? <button type="button" class="button bd-danger" onClick={() => setConfirm(true)}>{t('policies.delete')}</button> : null}
      </div>
      <ConfirmDialog open={confirm} title={t('policies.delete.title', { name: data.original?.name ?? '' })} confirmLabel={t('policies.delete.confirm')} danger busy={busy} onConfirm={remove} onClose={() => { setConfirm(false); setError(null); }}>
        <p>{t('policies.delete.text')}</p>
        {confirm ? <ApiErrorView error={error} /> : null}
      </ConfirmDialog>
    </form>
  );
}
