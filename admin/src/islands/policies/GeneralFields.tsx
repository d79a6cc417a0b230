// A policy's name (fixed once created: it is the file name), description, and what every limit
// is counted per (client, binding, or each client and binding pair).
import { t } from '../../i18n/index.ts';
import { SCOPES, type PolicyForm } from '../../lib/policies.ts';
import { Choice, Field } from './FormFields.tsx';

interface Props { form: PolicyForm; set: (patch: Partial<PolicyForm>) => void; isNew: boolean; problems: Partial<Record<string, true>> }

export default function GeneralFields({ form, set, isNew, problems }: Props) {
  return (
    <fieldset class="bd-fieldset">
      <legend>{t('policies.general')}</legend>
      <div class="field bd-field">
        <label for="po-name">{t('policies.field.name')}</label>
        <input id="po-name" value={form.name} readOnly={!isNew} required aria-invalid={problems.name ? true : undefined} aria-describedby="po-name-help"
          autocomplete="off" spellcheck={false} dir="ltr" onInput={(e) => set({ name: (e.currentTarget as HTMLInputElement).value })} />
        <p id="po-name-help" class={problems.name ? 'field-error' : 'field-help'}>{t(problems.name ? 'policies.problem.name' : isNew ? 'policies.field.name.help' : 'policies.field.name.fixed')}</p>
      </div>
      <Field id="po-description" label={t('policies.field.description')} value={form.description} onInput={(description) => set({ description })} />
      <Choice id="po-scope" label={t('policies.rate.scope')} value={form.scope} options={SCOPES} optionKey="policies.scope" help={t('policies.scope.help')} onChange={(scope) => set({ scope })} />
    </fieldset>
  );
}
