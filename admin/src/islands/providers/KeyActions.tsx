// A key's lifecycle buttons: rotate, set default, activate, suspend, revoke, delete — only
// those its state allows. Revoke and delete ask for a confirmation in place first.
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { keyActions, type KeyAction, type KeyMeta } from '../../lib/providers.ts';
import ApiErrorView from '../ApiErrorView.tsx';
import type { Change, Loaded } from './types.ts';

const CONFIRM: KeyAction[] = ['revoke', 'delete'];

interface Props { k: KeyMeta; data: Loaded; change: Change; onRotate: () => void }

export default function KeyActions({ k, data, change, onRotate }: Props) {
  const [asking, setAsking] = useState<KeyAction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const path = `/api/providers/${data.summary.id}/keys/${k.id}`;
  const name = k.label ?? k.id;

  async function run(a: KeyAction) {
    setBusy(true);
    setError(null);
    try {
      await (a === 'delete' ? change('DELETE', path) : change('POST', `${path}/${a}`));
      setAsking(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const click = (a: KeyAction) => (a === 'rotate' ? onRotate() : CONFIRM.includes(a) ? setAsking(a) : void run(a));

  return (
    <div class="pv-key-actions">
      {asking ? (
        <div role="group" aria-label={t(`providers.keys.confirm.${asking}`, { key: name })} class="pv-confirm">
          <span>{t(`providers.keys.confirm.${asking}`, { key: name })}</span>
          <button type="button" class="button button-quiet pv-small pv-danger" disabled={busy} onClick={() => void run(asking)}>{t(`providers.keys.action.${asking}`)}</button>
          <button type="button" class="button button-quiet pv-small" onClick={() => setAsking(null)}>{t('providers.cancel')}</button>
        </div>
      ) : (
        keyActions(k).map((a) => (
          <button key={a} type="button" class={`button button-quiet pv-small${CONFIRM.includes(a) ? ' pv-danger-text' : ''}`} disabled={busy}
            aria-label={t('providers.keys.actionOn', { action: t(`providers.keys.action.${a}`), key: name })} onClick={() => click(a)}>
            {t(`providers.keys.action.${a}`)}
          </button>
        ))
      )}
      {error ? <ApiErrorView error={error} /> : null}
    </div>
  );
}
