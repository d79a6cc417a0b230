// Create (?new=1) or edit (?name=<binding>) one binding: general fields, ordered targets,
// failover. Save sends the whole document (PUT, or POST when new) based on the commit the page
// was read at; a refusal shows the validator's messages inline and marks the targets they name;
// a conflict (409) offers a reload. Delete asks first.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { deleteNamedFile, saveNamedFile } from '../../lib/named-file-write.ts';
import { issuesOf, asApiError } from '../../lib/api-error.ts';
import { bindingOf, formOf, formProblems, issuesByProvider, type Binding, type BindingForm } from '../../lib/bindings.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import BindingFields from './BindingFields.tsx';
import TargetList from './TargetList.tsx';
import FailoverFields from './FailoverFields.tsx';
import ConfirmDialog from './ConfirmDialog.tsx';
import BackLink from './BackLink.tsx';
import { get, loadContext, type Context } from './data.ts';

export default function BindingEditor({ name }: { name: string | null }) {
  const [data, setData] = useState<{ ctx: Context; commit: string; original: Binding | null } | null>(null);
  const [form, setForm] = useState<BindingForm | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<Partial<Record<string, true>>>({});
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(false);

  async function load(which = name) {
    const [ctx, one] = await Promise.all([loadContext(), which ? get<{ commit: string; binding: Binding }>(`/api/bindings/${encodeURIComponent(which)}`) : null]);
    setData({ ctx, commit: one?.commit ?? ctx.commit, original: one?.binding ?? null });
    setForm(formOf(one?.binding ?? null, ctx.environments.includes('prod') ? 'prod' : ctx.environments[0]));
  }
  useEffect(() => void load().catch(setError), []);
  if (!data || !form) return error ? <ApiErrorView error={error} /> : <p role="status">{t('bindings.loading')}</p>;

  const set = (patch: Partial<BindingForm>) => { setForm({ ...form, ...patch }); setSaved(''); };
  const act = (fn: () => Promise<void>) => (setBusy(true), setError(null), setSaved(''), fn().catch(setError).finally(() => setBusy(false)));
  const save = (e: Event) => {
    e.preventDefault();
    const found = formProblems(form);
    setProblems(found);
    if (Object.keys(found).length) return;
    void act(async () => {
      const binding = bindingOf(form, data.original);
      const commit = await saveNamedFile('bindings', 'binding', binding.name, !!data.original, data.commit, binding);
      await load(binding.name);
      setSaved(t('bindings.saved', { commit: commit.slice(0, 7) }));
    });
  };
  const remove = () => act(() => deleteNamedFile('bindings', data.original!.name, data.commit));
  const flagged = error ? issuesByProvider(issuesOf(asApiError(error))) : new Map<string, string[]>();
  const list = Object.keys(problems).filter((k) => k !== 'name' && k !== 'timeoutMs' && k !== 'maxAttempts');

  return (
    <form class="bd-editor" onSubmit={save} noValidate aria-labelledby="bd-editor-title">
      <BackLink href="/bindings" label={t('bindings.back')} />
      <h2 id="bd-editor-title">{data.original ? t('bindings.edit.title', { name: data.original.name }) : t('bindings.new.title')}</h2>
      <BindingFields form={form} set={set} isNew={!data.original} environments={data.ctx.environments} policies={data.ctx.policies} problems={problems} />
      <TargetList rows={form.targets} onChange={(targets) => set({ targets })} providers={data.ctx.providers} environment={form.environment} protocol={form.protocol} weighted={form.strategy === 'weighted'} flagged={flagged} />
      <FailoverFields form={form} set={set} problems={problems} />
      {list.length ? <ul class="field-error bd-problems" role="alert">{list.map((k) => <li key={k}>{t(`bindings.problem.${k}`)}</li>)}</ul> : null}
      <ApiErrorView error={confirm ? null : error} onReload={() => location.reload()} />
      {saved ? <p class="notice notice-ok" role="status">{saved}</p> : null}
      <div class="bd-actions">
        <button type="submit" class="button" disabled={busy}>{data.original ? t('bindings.save') : t('bindings.create')}</button>
        {data.original ? <button type="button" class="button bd-danger" onClick={() => setConfirm(true)}>{t('bindings.delete')}</button> : null}
      </div>
      <ConfirmDialog open={confirm} title={t('bindings.delete.title', { name: data.original?.name ?? '' })} confirmLabel={t('bindings.delete.confirm')} danger busy={busy} onConfirm={remove} onClose={() => setConfirm(false)}>
        <p>{t('bindings.delete.text')}</p>
        {confirm ? <ApiErrorView error={error} /> : null}
      </ConfirmDialog>
    </form>
  );
}
