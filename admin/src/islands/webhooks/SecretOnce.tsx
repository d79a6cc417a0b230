// A signing secret just made (create or rotate): shown this once, with a Copy button. It lives
// only in this component's memory: "I have stored it" or a reload and it is gone.
import { useRef, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';

export default function SecretOnce({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'' | 'ok' | 'failed'>('');
  const field = useRef<HTMLInputElement>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('ok');
    } catch {
      // No clipboard access (permissions, an insecure context): select it for Ctrl+C instead.
      field.current?.select();
      setCopied('failed');
    }
  }
  return (
    <section class="wh-once" aria-labelledby="wh-once-title" data-testid="wh-secret-once">
      <h3 id="wh-once-title">{t('webhooks.secret.created', { name })}</h3>
      <p><strong>{t('webhooks.secret.once')}</strong></p>
      <div class="wh-secret-row">
        <label class="sr-only" for="wh-secret">{t('webhooks.secret.value')}</label>
        <input ref={field} id="wh-secret" class="wh-secret" value={secret} readOnly dir="ltr" spellcheck={false} autocomplete="off" data-testid="wh-secret" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="button" onClick={copy}>{t('webhooks.secret.copy')}</button>
      </div>
      <p role="status" class={copied === 'failed' ? 'field-error' : 'field-help'}>{copied ? t(`webhooks.secret.copy.${copied}`) : t('webhooks.secret.use')}</p>
      <button type="button" class="button button-quiet" onClick={onDone}>{t('webhooks.secret.done')}</button>
    </section>
  );
}
