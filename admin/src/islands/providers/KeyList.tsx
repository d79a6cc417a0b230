// The provider's keys: metadata only (mask, fingerprint, dates, rotation due), each with the
// lifecycle actions its state allows, and Add key.
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { day, rotationState, type KeyMeta } from '../../lib/providers.ts';
import KeyActions from './KeyActions.tsx';
import KeyAddDialog from './KeyAddDialog.tsx';
import type { Change, Loaded } from './types.ts';

function due(k: KeyMeta) {
  const state = rotationState(k);
  if (!state) return k.retireAt ? t('providers.keys.retires', { date: day(k.retireAt) }) : '—';
  const d = k.rotationDueInDays!;
  return <span class={`pv-due pv-due-${state}`}>{state === 'overdue' ? t('providers.keys.overdue', { days: -d }) : t('providers.keys.dueIn', { days: d })}</span>;
}

export default function KeyList({ data, change }: { data: Loaded; change: Change }) {
  const { keys } = data;
  // One dialog for adding and rotating: it stays mounted when the rotated key changes state.
  const [dialog, setDialog] = useState<{ rotate: KeyMeta | null } | null>(null);
  return (
    <section class="pv-panel-box pv-keys" aria-labelledby="pv-keys-title">
      <div class="pv-box-head">
        <h2 id="pv-keys-title">{t('providers.keys.title')}</h2>
        <button type="button" class="button" onClick={() => setDialog({ rotate: null })}>{t('providers.keys.add')}</button>
      </div>
      {keys.length === 0 ? <p class="field-help">{t('providers.keys.none')}</p> : (
        <div class="pv-table-wrap">
          <table class="pv-table">
            <caption class="sr-only">{t('providers.keys.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('providers.keys.key')}</th>
                <th scope="col">{t('providers.col.status')}</th>
                <th scope="col">{t('providers.keys.mask')}</th>
                <th scope="col">{t('providers.keys.fingerprint')}</th>
                <th scope="col">{t('providers.keys.dates')}</th>
                <th scope="col">{t('providers.keys.rotation')}</th>
                <th scope="col">{t('providers.keys.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-key={k.id}>
                  <th scope="row">
                    {k.label ?? k.id}
                    {k.label ? <code class="pv-sub">{k.id}</code> : null}
                    {k.default ? <span class="pv-chip pv-default">{t('providers.keys.default')}</span> : null}
                  </th>
                  <td><span class={`pv-key pv-key-${k.status}`}>{t(`providers.keys.status.${k.status}`)}</span></td>
                  <td><code>{k.mask}</code></td>
                  <td><code class="pv-fp">{k.fingerprint}</code></td>
                  <td class="pv-dates">
                    <span>{t('providers.keys.created', { date: day(k.created) })}</span>
                    {k.rotated ? <span>{t('providers.keys.rotated', { date: day(k.rotated) })}</span> : null}
                    {k.expires ? <span>{t('providers.keys.expires', { date: day(k.expires) })}</span> : null}
                  </td>
                  <td>{due(k)}</td>
                  <td><KeyActions k={k} data={data} change={change} onRotate={() => setDialog({ rotate: k })} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <KeyAddDialog data={data} change={change} open={dialog !== null} rotate={dialog?.rotate} onClose={() => setDialog(null)} />
    </section>
  );
}
