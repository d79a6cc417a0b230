// A provider's status as a coloured badge with a text label (never colour alone).
import { t } from '../../i18n/index.ts';
import type { UiStatus } from '../../lib/providers.ts';

const MARK: Record<UiStatus, string> = { active: '●', degraded: '◐', disabled: '○', error: '▲' };

/** `reason`: why (the health monitor's words), shown as the badge's tooltip. */
export default function StatusBadge({ status, reason }: { status: UiStatus; reason?: string }) {
  return (
    <span class={`pv-badge pv-badge-${status}`} data-status={status} {...(reason ? { title: reason } : {})}>
      <span aria-hidden="true">{MARK[status]}</span> {t(`providers.status.${status}`)}
    </span>
  );
}
