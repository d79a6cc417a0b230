// One form field generated from a template field (a small JSON Schema): its title, description,
// example, type, enum and required/optional flag. Secrets are password inputs, never autofilled.
import { t } from '../../i18n/index.ts';
import type { FieldProblem, FormField } from '../../lib/providers.ts';

interface Props { field: FormField; prefix: string; value: string; problem?: FieldProblem; onInput: (value: string) => void }

export default function FieldInput({ field, prefix, value, problem, onInput }: Props) {
  const { name, spec, secret, required } = field;
  const id = `${prefix}-${name}`;
  const help = [spec.description ? `${id}-help` : '', problem ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name,
    'aria-describedby': help,
    'aria-invalid': problem ? true : undefined,
    'aria-required': required || undefined,
  };
  const set = (e: Event) => onInput((e.currentTarget as HTMLInputElement).value);
  let input;
  if (spec.type === 'boolean') {
    input = <input {...common} type="checkbox" checked={value === 'true'} onChange={(e) => onInput((e.currentTarget as HTMLInputElement).checked ? 'true' : '')} />;
  } else if (spec.enum) {
    input = (
      <select {...common} value={value} onChange={set}>
        {required ? null : <option value="">{t('providers.field.none')}</option>}
        {spec.enum.map((v) => <option key={String(v)} value={String(v)}>{String(v)}</option>)}
      </select>
    );
  } else if (spec.multiline) {
    input = <textarea {...common} rows={5} value={value} onInput={set} autocomplete="off" spellcheck={false} class={secret ? 'pv-secret' : undefined} />;
  } else {
    const type = secret ? 'password' : spec.format === 'uri' ? 'url' : spec.format === 'email' ? 'email' : 'text';
    const numeric = spec.type === 'integer' || spec.type === 'number';
    input = (
      <input {...common} type={type} value={value} onInput={set} autocomplete="off" spellcheck={false}
        inputMode={numeric ? 'decimal' : undefined} placeholder={spec.example !== undefined ? String(spec.example) : undefined} />
    );
  }
  return (
    <div class={`field pv-field${problem ? ' pv-field-invalid' : ''}`}>
      <label for={id}>
        {spec.title ?? name}
        {required ? <span class="pv-req" aria-hidden="true"> *</span> : <span class="pv-opt"> {t('providers.field.optional')}</span>}
      </label>
      {input}
      {spec.description ? <p id={`${id}-help`} class="field-help">{spec.description}</p> : null}
      {problem ? (
        <p id={`${id}-err`} class="field-error">
          {t(`providers.field.${problem}`, { example: spec.example !== undefined ? String(spec.example) : '', pattern: spec.pattern ?? '', values: (spec.enum ?? []).join(', ') })}
        </p>
      ) : null}
    </div>
  );
}
