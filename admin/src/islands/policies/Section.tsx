// A part of the policy form that may be left out (rate limit, quota, budget): a fieldset whose
// checkbox turns the part on, and its fields, shown only while it is on.
import type { ComponentChildren } from 'preact';
import { t } from '../../i18n/index.ts';

interface Props { id: string; on: boolean; onToggle: (on: boolean) => void; children: ComponentChildren }

export default function Section({ id, on, onToggle, children }: Props) {
  return (
    <fieldset class="bd-fieldset po-section" data-section={id}>
      <legend>{t(`policies.${id}`)}</legend>
      <label class="bd-check">
        <input type="checkbox" id={`po-${id}-on`} checked={on} aria-controls={`po-${id}-fields`} onChange={(e) => onToggle((e.currentTarget as HTMLInputElement).checked)} />
        {t(`policies.${id}.on`)}
      </label>
      <div id={`po-${id}-fields`} hidden={!on}>{on ? children : null}</div>
    </fieldset>
  );
}
