// Import: upload a bundle, preview what would change (and every error), then apply it as one
// commit based on the previewed commit (a change in between answers 409).
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { postBundle } from './bundle-http.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import Dialog from './Dialog.tsx';
import ImportPreviewView, { type Preview } from './ImportPreview.tsx';

type Mode = 'merge' | 'replace';
const typeOf = (name: string, text: string) => (name.endsWith('.json') || text.trimStart().startsWith('{') ? 'application/json' : 'application/yaml');

export default function ImportDialog({ onImported }: { onImported: () => void }) {
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [mode, setMode] = useState<Mode>('merge');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [done, setDone] = useState<{ changed: boolean; files?: unknown[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const reset = () => { setFile(null); setPreview(null); setDone(null); setError(null); };
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try { await fn(); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const post = <T,>(path: string): Promise<T> => postBundle<T>(path, file!.text, typeOf(file!.name, file!.text));
  const doPreview = () => run(async () => { setDone(null); setPreview(await post<Preview>(`/api/import/preview?mode=${mode}`)); });
  const apply = () => run(async () => {
    const r = await post<{ commit: string; changed: boolean; files?: unknown[] }>(`/api/import?mode=${mode}&base=${preview!.base}`);
    setPreview(null);
    // The hub loads the new commit within a second: refresh the list once it is live.
    for (let i = 0; i < 50 && r.changed; i++) {
      if ((await api.get<{ commit: string | null }>('/api/status')).commit === r.commit) break;
      await new Promise((ok) => setTimeout(ok, 200));
    }
    setDone(r);
    onImported();
  });

  return (
    <>
      <button type="button" class="button button-quiet" onClick={() => { reset(); setOpen(true); }}>{t('providers.import')}</button>
      <Dialog open={open} title={t('providers.import.title')} onClose={() => setOpen(false)} wide>
        <form class="pv-form" onSubmit={(e) => { e.preventDefault(); void doPreview(); }}>
          <p class="field-help">{t('providers.import.help')}</p>
          <label for="pv-import-file">{t('providers.import.file')}</label>
          <input id="pv-import-file" type="file" accept=".yaml,.yml,.json,application/yaml,application/json" required
            onChange={async (e) => {
              const f = (e.currentTarget as HTMLInputElement).files?.[0];
              setPreview(null);
              setDone(null);
              setFile(f ? { name: f.name, text: await f.text() } : null);
            }} />
          <fieldset class="pv-radios">
            <legend>{t('providers.import.mode')}</legend>
            {(['merge', 'replace'] as const).map((m) => (
              <label key={m}><input type="radio" name="pv-import-mode" value={m} checked={mode === m} onChange={() => { setMode(m); setPreview(null); }} /> {t(`providers.import.mode.${m}`)}</label>
            ))}
          </fieldset>
          <div class="pv-form-actions">
            <button type="submit" class="button button-quiet" disabled={!file || busy}>{t('providers.import.preview')}</button>
          </div>
        </form>
        {error ? <ApiErrorView error={error} /> : null}
        {preview ? <ImportPreviewView preview={preview} busy={busy} onApply={apply} /> : null}
        {done ? (
          <p class="pv-ok" role="status">
            {done.changed ? t('providers.import.applied', { count: done.files?.length ?? 0 }) : t('providers.import.nothing')}
          </p>
        ) : null}
      </Dialog>
    </>
  );
}
