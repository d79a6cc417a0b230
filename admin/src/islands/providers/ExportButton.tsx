// Export: downloads the whole config as one YAML bundle (secrets stay SOPS-encrypted).
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { download as fetchFile } from './bundle-http.ts';
import ApiErrorView from '../ApiErrorView.tsx';

export default function ExportButton() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function exportAll() {
    setBusy(true);
    setError(null);
    try {
      await fetchFile('/api/export?format=yaml', 'sil-config.yaml');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" class="button button-quiet" onClick={exportAll} disabled={busy} aria-busy={busy}>
        {t('providers.export')}
      </button>
      {error ? <ApiErrorView error={error} /> : null}
    </>
  );
}
