// Add a key (or rotate one): the secret is typed into password fields, sent once and dropped
// from memory; the confirmation shows only what the API returns, the mask and fingerprint.
import { useMemo, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { formFields, formProblems, recheck, secretBody, type FieldProblem, type KeyMeta } from '../../lib/providers.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import Dialog from './Dialog.tsx';
import FieldInput from './FieldInput.tsx';
import type { Change, Loaded } from './types.ts';

interface Props { data: Loaded; change: Change; open: boolean; onClose: () => void; rotate?: KeyMeta | null }

export default function KeyAddDialog({ data, change, open, onClose, rotate }: Props) {
  const option: string | undefined = data.provider.authOption;
  const fields = useMemo(() => formFields((option && data.template?.authOptions?.[option]?.credentials) || data.template?.credentials || { secret: { title: t('providers.keys.secret') } }, true), [data.template, option]);
  const [raw, setRaw] = useState<Record<string, string>>({});
  const [extra, setExtra] = useState({ label: '', staged: false, graceDays: '' });
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  const [saved, setSaved] = useState<KeyMeta | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = data.summary.id;
  const title = rotate ? t('providers.keys.rotateTitle', { key: rotate.label ?? rotate.id }) : t('providers.keys.addTitle');

  async function submit(e: Event) {
    e.preventDefault();
    const found = formProblems(fields, raw);
    setProblems(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    setError(null);
    try {
      const secret = secretBody(fields, raw);
      const body = rotate
        ? { secret, ...(extra.graceDays ? { graceDays: Number(extra.graceDays) } : {}) }
        : { secret, ...(extra.label.trim() ? { label: extra.label.trim() } : {}), ...(extra.staged ? { staged: true } : {}) };
      const r = await change<{ key?: KeyMeta }>('POST', `/api/providers/${id}/keys${rotate ? `/${rotate.id}/rotate` : ''}`, body);
      setRaw({}); // the secret leaves the page's memory: it is never shown again
      setSaved(r.key ?? null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const close = () => { onClose(); setRaw({}); setSaved(null); setError(null); setProblems({}); setExtra({ label: '', staged: false, graceDays: '' }); };

  return (
    <Dialog open={open} title={title} onClose={close}>
        {saved ? (
          <div class="pv-ok pv-saved" role="status">
            <p><strong>{t('providers.keys.saved')}</strong></p>
            <p>{t('providers.keys.savedOnce')}</p>
            <dl class="pv-dl">
              <dt>{t('providers.keys.key')}</dt><dd><code>{saved.id}</code></dd>
              <dt>{t('providers.keys.mask')}</dt><dd><code>{saved.mask}</code></dd>
              <dt>{t('providers.keys.fingerprint')}</dt><dd><code>{saved.fingerprint}</code></dd>
            </dl>
            <div class="pv-form-actions"><button type="button" class="button" onClick={close}>{t('providers.done')}</button></div>
          </div>
        ) : (
          <form class="pv-form" onSubmit={submit} noValidate autocomplete="off">
            <p class="field-help">{t('providers.keys.onceHelp')}</p>
            {fields.map((f) => <FieldInput key={f.name} field={f} prefix="pvk" value={raw[f.name] ?? ''} problem={problems[f.name]} onInput={(v) => { setRaw((r) => ({ ...r, [f.name]: v })); setProblems((p) => recheck(p, f, v)); }} />)}
            {rotate ? (
              <div class="field pv-field"><label for="pvk-grace">{t('providers.keys.graceDays')}</label>
                <input id="pvk-grace" inputMode="numeric" value={extra.graceDays} placeholder="7" onInput={(e) => setExtra({ ...extra, graceDays: (e.currentTarget as HTMLInputElement).value })} /></div>
            ) : (
              <>
                <div class="field pv-field"><label for="pvk-label">{t('providers.keys.label')}</label>
                  <input id="pvk-label" value={extra.label} autocomplete="off" onInput={(e) => setExtra({ ...extra, label: (e.currentTarget as HTMLInputElement).value })} /></div>
                <label class="pv-check"><input type="checkbox" checked={extra.staged} onChange={(e) => setExtra({ ...extra, staged: (e.currentTarget as HTMLInputElement).checked })} /> {t('providers.keys.staged')}</label>
              </>
            )}
            {error ? <ApiErrorView error={error} /> : null}
            <div class="pv-form-actions"><button type="submit" class="button" disabled={busy}>{rotate ? t('providers.keys.rotate') : t('providers.keys.save')}</button></div>
          </form>
        )}
    </Dialog>
  );
}
