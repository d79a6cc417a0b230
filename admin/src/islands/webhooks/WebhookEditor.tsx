// Create (?new=1) or edit (?name=<webhook>&edit=1) a subscription. Save sends the whole document
// (PUT, or POST when new) based on the commit the page was read at; 422 and 409 (with Reload)
// show in place. A new subscription's signing secret is shown once, then the page goes to it.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { formProblems, webhookFormOf, webhookOf, type WebhookForm, type WebhookItem } from '../../lib/webhooks.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import BackLink from '../bindings/BackLink.tsx';
import WebhookFields from './WebhookFields.tsx';
import EventPicker from './EventPicker.tsx';
import AdvancedFields from './AdvancedFields.tsx';
import SecretOnce from './SecretOnce.tsx';
import { environments, getWebhook, listWebhooks, saveWebhook } from './data.ts';

const viewOf = (name: string) => `/webhooks?name=${encodeURIComponent(name)}`;

export default function WebhookEditor({ name }: { name: string | null }) {
  const [data, setData] = useState<{ commit: string; original: WebhookItem | null; environments: string[] } | null>(null);
  const [form, setForm] = useState<WebhookForm | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<Partial<Record<string, true>>>({});
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  useEffect(() => {
    const read = name ? getWebhook(name) : listWebhooks().then((r) => ({ commit: r.commit, webhook: null }));
    Promise.all([read, environments()]).then(([r, envs]) => {
      setData({ commit: r.commit, original: r.webhook, environments: envs });
      setForm(webhookFormOf(r.webhook));
    }, setError);
  }, []);
  if (created) return <SecretOnce name={created.name} secret={created.secret} onDone={() => location.assign(viewOf(created.name))} />;
  if (!data || !form) return error ? <ApiErrorView error={error} /> : <p role="status">{t('webhooks.loading')}</p>;

  const set = (patch: Partial<WebhookForm>) => setForm({ ...form, ...patch });
  const save = (e: Event) => {
    e.preventDefault();
    const found = formProblems(form);
    setProblems(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    setError(null);
    const doc = webhookOf(form, data.original);
    saveWebhook(doc, !!data.original, data.commit).then((r) => {
      if (!r.secret) return location.assign(viewOf(doc.name));
      // The address names the new webhook: a reload shows it, never the secret again.
      history.replaceState(null, '', viewOf(doc.name));
      setCreated({ name: doc.name, secret: r.secret });
    }, setError).finally(() => setBusy(false));
  };
  const back = data.original ? viewOf(data.original.name) : '/webhooks';
  return (
    <form class="bd-editor" onSubmit={save} noValidate aria-labelledby="wh-editor-title">
      <BackLink href={back} label={data.original ? data.original.name : t('webhooks.back')} />
      <h2 id="wh-editor-title">{data.original ? t('webhooks.edit.title', { name: data.original.name }) : t('webhooks.new.title')}</h2>
      <WebhookFields form={form} set={set} isNew={!data.original} problems={problems} environments={data.environments} />
      <EventPicker events={form.events} onChange={(events) => set({ events })} problem={problems.events} />
      <AdvancedFields form={form} set={set} problems={problems} />
      <ApiErrorView error={error} onReload={() => location.reload()} />
      <div class="bd-actions">
        <button type="submit" class="button" disabled={busy}>{data.original ? t('webhooks.save') : t('webhooks.create')}</button>
        <a class="button button-quiet" href={back}>{t('webhooks.cancel')}</a>
      </div>
    </form>
  );
}
