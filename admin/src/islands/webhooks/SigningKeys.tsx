// A subscription's signing keys as the API shows them (metadata only: id, status, fingerprint,
// when an old one retires); none means nothing is sent until a secret is rotated in.
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import type { WebhookItem } from '../../lib/webhooks.ts';
import { when } from './data.ts';

export default function SigningKeys({ webhook, f, tz }: { webhook: WebhookItem; f: Formats; tz: string }) {
  const keys = webhook.signing?.keys ?? [];
  return (
    <section class="wh-keys" aria-labelledby="wh-keys-title">
      <h3 id="wh-keys-title">{t('webhooks.secret.keys')}</h3>
      {keys.length === 0 ? <p class="notice">{t('webhooks.secret.none')}</p> : (
        <ul class="wh-key-list" data-testid="wh-keys">
          {keys.map((k) => (
            <li key={k.id} data-key={k.id} data-status={k.status}>
              <code dir="ltr">{k.id}</code> <span class="bd-badge">{k.status}</span>
              {k.fingerprint ? <> <code dir="ltr" class="bd-muted">{k.fingerprint}</code></> : null}
              {k.retireAt ? <span class="bd-muted"> {t('webhooks.secret.retires', { time: when(f, k.retireAt, tz) })}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
