// A provider's status as a coloured badge with a text label (never colour alone).
import { t } from '../../i18n/index.ts';
import type { UiStatus } from '../../lib/providers.ts';

const MARK: Record<UiStatus, string> = { active: '●', disabled: '○', error: '▲' };

export default function StatusBadge({ status }: { status: UiStatus }) {
  return (
    <span class={`pv-badge pv-badge-${status}`}>
      <span aria-hidden="true">{MARK[status]}</span> {t(`providers.status.${status}`)}
    </span>
  );
}
