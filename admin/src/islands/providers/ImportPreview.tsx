// What an import would do: counts, each file with its change and diff, every error and warning.
import { t } from '../../i18n/index.ts';

interface Issue { file: string; line?: number; column?: number; code: string; message: string; hint?: string }
export interface Preview {
  base: string;
  head: string;
  mode: string;
  valid: boolean;
  summary: { added: number; changed: number; removed: number };
  files: { path: string; change: string; diff?: string }[];
  errors: Issue[];
  warnings: string[];
}

const where = (i: Issue) => `${i.file}${i.line ? `:${i.line}${i.column ? `:${i.column}` : ''}` : ''}`;

export default function ImportPreviewView({ preview, busy, onApply }: { preview: Preview; busy: boolean; onApply: () => void }) {
  const nothing = preview.files.length === 0;
  return (
    <section class="pv-preview" aria-labelledby="pv-preview-title">
      <h3 id="pv-preview-title">{t('providers.import.changes')}</h3>
      <p role="status">
        {nothing ? t('providers.import.noChanges') : t('providers.import.summary', preview.summary)}
      </p>
      {preview.files.length ? (
        <ul class="pv-files">
          {preview.files.map((f) => (
            <li key={f.path}>
              <details>
                <summary><span class={`pv-change pv-change-${f.change}`}>{t(`providers.import.change.${f.change}`)}</span> <code>{f.path}</code></summary>
                {f.diff ? <pre class="pv-diff">{f.diff}</pre> : null}
              </details>
            </li>
          ))}
        </ul>
      ) : null}
      {preview.errors.length ? (
        <div class="pv-errors" role="alert">
          <h4>{t('providers.import.errors', { count: preview.errors.length })}</h4>
          <ul>
            {preview.errors.map((i, n) => (
              <li key={n}><code>{where(i)}</code> {i.message}{i.hint ? <span class="pv-hint"> — {i.hint}</span> : null}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {preview.warnings.length ? <ul class="pv-warnings">{preview.warnings.map((w, n) => <li key={n}>{w}</li>)}</ul> : null}
      {preview.valid && !nothing ? (
        <div class="pv-form-actions">
          <button type="button" class="button" onClick={onApply} disabled={busy}>{t('providers.import.apply')}</button>
        </div>
      ) : null}
    </section>
  );
}
