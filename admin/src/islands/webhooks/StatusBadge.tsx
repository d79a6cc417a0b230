// An endpoint's status as a badge (active, failing, disabled automatically, switched off), with
// since when and why the hub disabled it.
import { t } from '../../i18n/index.ts';
import type { Formats } from '../../lib/analytics-format.ts';
import { endpointStatus, type WebhookItem } from '../../lib/webhooks.ts';
import { when } from './data.ts';

export default function StatusBadge({ webhook, f, tz, full }: { webhook: WebhookItem; f: Formats; tz: string; full?: boolean }) {
  const s = endpointStatus(webhook);
  const state = webhook.state;
  return (
    <div class="wh-status" data-status={s.status}>
      <span class={`wh-badge wh-badge-${s.status}`}>{t(`webhooks.status.${s.status}`)}</span>
      {s.since ? <span class="bd-muted"> {t('webhooks.status.since', { time: when(f, s.since, tz) })}</span> : null}
      {s.reason ? <p class="wh-reason" dir="ltr" data-testid="wh-reason">{s.reason}</p> : null}
      {full && s.status === 'off' ? <p class="bd-muted">{t('webhooks.status.offHelp')}</p> : null}
      {full && s.status === 'failing' && state?.consecutiveFailures ? <p class="bd-muted">{t('webhooks.status.failures', { count: f.number(state.consecutiveFailures) })}</p> : null}
      {full && state?.lastSuccessAt ? <p class="bd-muted">{t('webhooks.status.lastSuccess', { time: when(f, state.lastSuccessAt, tz) })}</p> : null}
    </div>
  );
}
