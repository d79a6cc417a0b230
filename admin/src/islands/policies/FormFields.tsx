// The form's inputs: a text or number field with its help or problem text, and a select whose
// options are translated. Every input of the policy form is one of these two.
import { t } from '../../i18n/index.ts';

const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;

interface FieldProps { id: string; label: string; value: string; onInput: (v: string) => void; help?: string; problem?: string; numeric?: boolean; placeholder?: string; ltr?: boolean }

export function Field({ id, label, value: v, onInput, help, problem, numeric, placeholder, ltr }: FieldProps) {
  const note = problem ?? help;
  return (
    <div class="field bd-field">
      <label for={id}>{label}</label>
      <input id={id} value={v} inputMode={numeric ? 'decimal' : undefined} placeholder={placeholder} dir={ltr || numeric ? 'ltr' : undefined} autocomplete="off" spellcheck={false}
        aria-invalid={problem ? true : undefined} aria-describedby={note ? `${id}-help` : undefined} onInput={(e) => onInput(value(e))} />
      {note ? <p id={`${id}-help`} class={problem ? 'field-error' : 'field-help'}>{note}</p> : null}
    </div>
  );
}

interface ChoiceProps { id: string; label: string; value: string; options: readonly string[]; optionKey: string; onChange: (v: string) => void; help?: string }

export function Choice({ id, label, value: v, options, optionKey, onChange, help }: ChoiceProps) {
  return (
    <div class="field bd-field">
      <label for={id}>{label}</label>
      <select id={id} value={v} aria-describedby={help ? `${id}-help` : undefined} onChange={(e) => onChange(value(e))}>
        {options.map((o) => <option key={o} value={o}>{t(`${optionKey}.${o}`)}</option>)}
      </select>
      {help ? <p id={`${id}-help`} class="field-help">{help}</p> : null}
    </div>
  );
}
