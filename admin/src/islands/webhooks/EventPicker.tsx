// The events a subscription receives: `*`, each group's `prefix.*` and each event type as
// checkboxes; patterns from the file the picker does not offer stay, listed as text.
import { t } from '../../i18n/index.ts';
import { eventChoices } from '../../lib/webhooks.ts';

const CHOICES = eventChoices();
const label = (value: string) => (value === '*' ? t('webhooks.events.all') : value.endsWith('.*') ? t('webhooks.events.group', { prefix: value.slice(0, -2) }) : '');

export default function EventPicker({ events, onChange, problem }: { events: string[]; onChange: (events: string[]) => void; problem?: boolean }) {
  const toggle = (value: string, on: boolean) => onChange(on ? [...events, value] : events.filter((e) => e !== value));
  const other = events.filter((e) => !CHOICES.some((c) => c.value === e));
  return (
    <fieldset class="bd-fieldset wh-events-picker" aria-describedby="wh-events-help">
      <legend>{t('webhooks.events')}</legend>
      <p id="wh-events-help" class={problem ? 'field-error' : 'field-help'}>{t(problem ? 'webhooks.problem.events' : 'webhooks.events.help')}</p>
      <ul class="wh-choices">
        {CHOICES.map((c) => (
          <li key={c.value} class={c.wildcard && c.value !== '*' ? 'wh-group' : undefined}>
            <label class="bd-check">
              <input type="checkbox" value={c.value} data-event={c.value} checked={events.includes(c.value)} onChange={(e) => toggle(c.value, (e.currentTarget as HTMLInputElement).checked)} />
              <code dir="ltr">{c.value}</code>{c.wildcard ? <span class="bd-muted"> {label(c.value)}</span> : null}
            </label>
          </li>
        ))}
      </ul>
      {other.length ? <p class="bd-muted">{t('webhooks.events.other')}: <span dir="ltr">{other.map((e) => <code key={e}>{e} </code>)}</span></p> : null}
    </fieldset>
  );
}
