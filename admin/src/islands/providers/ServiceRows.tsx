// The services of a custom provider: id, protocol and path per row; rows can be added/removed.
import { t } from '../../i18n/index.ts';
import { PROTOCOLS } from '../../lib/providers.ts';

export interface ServiceRow { id: string; protocol: string; path: string }

export default function ServiceRows({ rows, onChange }: { rows: ServiceRow[]; onChange: (rows: ServiceRow[]) => void }) {
  const set = (i: number, k: keyof ServiceRow, v: string) => onChange(rows.map((r, n) => (n === i ? { ...r, [k]: v } : r)));
  return (
    <fieldset class="pv-services-edit">
      <legend>{t('providers.services')}</legend>
      {rows.map((r, i) => (
        <div class="pv-row-edit" key={i} role="group" aria-label={t('providers.custom.serviceN', { n: i + 1 })}>
          <div class="field pv-field">
            <label for={`pvs-id-${i}`}>{t('providers.custom.serviceId')}</label>
            <input id={`pvs-id-${i}`} required value={r.id} autocomplete="off" pattern="[a-z0-9][a-z0-9\-]{0,62}" onInput={(e) => set(i, 'id', (e.currentTarget as HTMLInputElement).value)} />
          </div>
          <div class="field pv-field">
            <label for={`pvs-proto-${i}`}>{t('providers.custom.protocol')}</label>
            <select id={`pvs-proto-${i}`} value={r.protocol} onChange={(e) => set(i, 'protocol', (e.currentTarget as HTMLSelectElement).value)}>
              {PROTOCOLS.map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
          </div>
          <div class="field pv-field">
            <label for={`pvs-path-${i}`}>{t('providers.custom.path')}</label>
            <input id={`pvs-path-${i}`} value={r.path} autocomplete="off" placeholder="/v1/chat/completions" onInput={(e) => set(i, 'path', (e.currentTarget as HTMLInputElement).value)} />
          </div>
          {rows.length > 1 ? (
            <button type="button" class="button button-quiet pv-ghost" onClick={() => onChange(rows.filter((_, n) => n !== i))}>
              {t('providers.custom.removeService', { id: r.id || String(i + 1) })}
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" class="button button-quiet" onClick={() => onChange([...rows, { id: '', protocol: 'http', path: '' }])}>{t('providers.custom.addService')}</button>
    </fieldset>
  );
}
