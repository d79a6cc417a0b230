// Revert a commit: asks first (what will happen, which commit), then makes a new commit that
// undoes it, based on the head the page was read at. A refusal shows the validator's messages;
// a conflict (409) says what changed and offers a reload.
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { shortId, type Commit } from '../../lib/history.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import ConfirmDialog from '../bindings/ConfirmDialog.tsx';

interface Props { commit: Commit; head: string }

export default function RevertButton({ commit, head }: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const revert = () => {
    setBusy(true);
    setError(null);
    api.send<{ commit: string }>('POST', `/api/history/${commit.id}/revert`, { base: head })
      .then((r) => { setDone(r.commit); setOpen(false); }, setError)
      .finally(() => setBusy(false));
  };
  if (commit.parents.length === 0) return <p class="bd-muted">{t('history.revert.first')}</p>;
  return (
    <div class="hi-revert">
      {done ? (
        <p class="notice notice-ok" role="status">
          {t('history.revert.done', { commit: shortId(done) })} <a href={`/history?commit=${done}`}>{t('history.revert.open')}</a>
        </p>
      ) : (
        <button type="button" class="button bd-danger" onClick={() => setOpen(true)}>{t('history.revert')}</button>
      )}
      {!open ? <ApiErrorView error={error} onReload={() => location.reload()} /> : null}
      <ConfirmDialog open={open} title={t('history.revert.title', { commit: shortId(commit.id) })} confirmLabel={t('history.revert.confirm')} danger busy={busy} onConfirm={revert} onClose={() => setOpen(false)}>
        <p>{t('history.revert.text', { subject: commit.subject })}</p>
        <p class="bd-muted">{t('history.revert.how')}</p>
        <ApiErrorView error={error} onReload={() => location.reload()} />
      </ConfirmDialog>
    </div>
  );
}
