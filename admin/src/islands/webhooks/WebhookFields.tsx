// Where a subscription sends: its name (fixed once created), URL, description, environment and
// the owner's on/off switch.
import { t } from '../../i18n/index.ts';
import type { WebhookForm } from '../../lib/webhooks.ts';
import { Field } from '../policies/FormFields.tsx';

interface Props { form: WebhookForm; set: (patch: Partial<WebhookForm>) => void; isNew: boolean; problems: Partial<Record<string, true>>; environments: string[] }

export default function WebhookFields({ form, set, isNew, problems, environments }: Props) {
  return (
    <fieldset class="bd-fieldset">
      <legend>{t('webhooks.general')}</legend>
      <div class="field bd-field">
        <label for="wh-name">{t('webhooks.field.name')}</label>
        <input id="wh-name" value={form.name} readOnly={!isNew} required aria-invalid={problems.name ? true : undefined} aria-describedby="wh-name-help"
          autocomplete="off" spellcheck={false} dir="ltr" onInput={(e) => set({ name: (e.currentTarget as HTMLInputElement).value })} />
        <p id="wh-name-help" class={problems.name ? 'field-error' : 'field-help'}>{t(problems.name ? 'webhooks.problem.name' : isNew ? 'webhooks.field.name.help' : 'webhooks.field.name.fixed')}</p>
      </div>
      <Field id="wh-url" label={t('webhooks.field.url')} value={form.url} ltr placeholder="https://" onInput={(url) => set({ url })}
        help={t('webhooks.field.url.help')} problem={problems.url ? t('webhooks.problem.url') : undefined} />
      <Field id="wh-description" label={t('webhooks.field.description')} value={form.description} onInput={(description) => set({ description })} />
      <div class="field bd-field">
        <label for="wh-environment">{t('webhooks.field.environment')}</label>
        <select id="wh-environment" value={form.environment} aria-describedby="wh-environment-help" onChange={(e) => set({ environment: (e.currentTarget as HTMLSelectElement).value })}>
          <option value="">{t('webhooks.allEnvironments')}</option>
          {[...new Set([...environments, ...(form.environment ? [form.environment] : [])])].map((env) => <option key={env} value={env}>{env}</option>)}
        </select>
        <p id="wh-environment-help" class="field-help">{t('webhooks.field.environment.help')}</p>
      </div>
      <label class="bd-check">
        <input type="checkbox" id="wh-enabled" checked={form.enabled} onChange={(e) => set({ enabled: (e.currentTarget as HTMLInputElement).checked })} />
        {t('webhooks.field.enabled')}
      </label>
    </fieldset>
  );
}
