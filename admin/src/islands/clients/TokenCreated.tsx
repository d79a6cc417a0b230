// A token just issued: shown this once (the hub keeps only its hash), with a Copy button. It
// lives only in this component's memory: "I have stored it" or a reload and it is gone.
import { useRef, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';

export default function TokenCreated({ token, tokenId, onDone }: { token: string; tokenId: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'' | 'ok' | 'failed'>('');
  const field = useRef<HTMLInputElement>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(token);
      setCopied('ok');
    } catch {
      // No clipboard access (permissions, an insecure context): select it for Ctrl+C instead.
      field.current?.select();
      setCopied('failed');
    }
  }
  return (
    <section class="cl-once" aria-labelledby="cl-once-title">
      <h3 id="cl-once-title">{t('clients.token.created', { id: tokenId })}</h3>
      <p><strong>{t('clients.token.once')}</strong></p>
      <div class="cl-token-row">
        <label class="sr-only" for="cl-token">{t('clients.token.value')}</label>
        <input ref={field} id="cl-token" class="cl-token" value={token} readOnly dir="ltr" spellcheck={false} autocomplete="off" data-testid="new-token" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="button" onClick={copy}>{t('clients.token.copy')}</button>
      </div>
      <p role="status" class={copied === 'failed' ? 'field-error' : 'field-help'}>{copied ? t(`clients.token.copy.${copied}`) : t('clients.token.use')}</p>
      <button type="button" class="button button-quiet" onClick={onDone}>{t('clients.token.done')}</button>
    </section>
  );
}
