// A binding's general fields: name (fixed once created: it is the file name), description,
// environment, the protocol callers speak, the strategy that orders targets, policy, enabled.
import { t } from '../../i18n/index.ts';
import { PROTOCOLS, STRATEGIES, type BindingForm } from '../../lib/bindings.ts';

interface Props { form: BindingForm; set: (patch: Partial<BindingForm>) => void; isNew: boolean; environments: string[]; policies: string[]; problems: Partial<Record<string, true>> }

const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;

export default function BindingFields({ form, set, isNew, environments, policies, problems }: Props) {
  const select = (key: 'environment' | 'protocol' | 'strategy' | 'policy', options: readonly string[], label: (o: string) => string, help?: string) => (
    <div class="field bd-field">
      <label for={`bd-${key}`}>{t(`bindings.field.${key}`)}</label>
      <select id={`bd-${key}`} value={form[key]} onChange={(e) => set({ [key]: value(e) })} aria-describedby={help ? `bd-${key}-help` : undefined}>
        {options.map((o) => <option key={o} value={o}>{label(o)}</option>)}
      </select>
      {help ? <p id={`bd-${key}-help`} class="field-help">{help}</p> : null}
    </div>
  );
  const envs = environments.includes(form.environment) ? environments : [...environments, form.environment];
  return (
    <fieldset class="bd-fieldset">
      <legend>{t('bindings.general')}</legend>
      <div class="bd-grid">
        <div class="field bd-field">
          <label for="bd-name">{t('bindings.field.name')}</label>
          <input id="bd-name" value={form.name} readOnly={!isNew} required aria-invalid={problems.name ? true : undefined} aria-describedby="bd-name-help"
            autocomplete="off" spellcheck={false} dir="ltr" onInput={(e) => set({ name: value(e) })} />
          <p id="bd-name-help" class={problems.name ? 'field-error' : 'field-help'}>{t(isNew ? 'bindings.field.name.help' : 'bindings.field.name.fixed')}</p>
        </div>
        {select('environment', envs, (o) => o)}
        {select('protocol', PROTOCOLS, (o) => o, t('bindings.field.protocol.help'))}
        {select('strategy', STRATEGIES, (o) => t(`bindings.strategy.${o}`), t(`bindings.strategy.${form.strategy}.help`))}
        {select('policy', ['', ...policies, ...(form.policy && !policies.includes(form.policy) ? [form.policy] : [])], (o) => o || t('bindings.field.policy.none'))}
      </div>
      <div class="field bd-field">
        <label for="bd-description">{t('bindings.field.description')}</label>
        <input id="bd-description" value={form.description} onInput={(e) => set({ description: value(e) })} />
      </div>
      <label class="bd-check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: (e.currentTarget as HTMLInputElement).checked })} />
        {t('bindings.field.enabled')}
      </label>
    </fieldset>
  );
}
