// The optional part of a subscription: custom request headers and its own retry schedule
// (durations after the immediate attempt) with an optional disable-after count. Open when set.
import { t } from '../../i18n/index.ts';
import type { WebhookForm } from '../../lib/webhooks.ts';
import { Field } from '../policies/FormFields.tsx';

interface Props { form: WebhookForm; set: (patch: Partial<WebhookForm>) => void; problems: Partial<Record<string, true>> }

export default function AdvancedFields({ form, set, problems }: Props) {
  const open = !!(form.headers || form.schedule || form.disableAfterFailures || problems.headers || problems.schedule || problems.disableAfterFailures);
  return (
    <details class="bd-fieldset wh-advanced" open={open}>
      <summary>{t('webhooks.advanced')}</summary>
      <div class="field bd-field">
        <label for="wh-headers">{t('webhooks.field.headers')}</label>
        <textarea id="wh-headers" rows={3} dir="ltr" spellcheck={false} value={form.headers} placeholder="X-Team: platform" aria-invalid={problems.headers ? true : undefined} aria-describedby="wh-headers-help"
          onInput={(e) => set({ headers: (e.currentTarget as HTMLTextAreaElement).value })} />
        <p id="wh-headers-help" class={problems.headers ? 'field-error' : 'field-help'}>{t(problems.headers ? 'webhooks.problem.headers' : 'webhooks.field.headers.help')}</p>
      </div>
      <Field id="wh-schedule" label={t('webhooks.field.schedule')} value={form.schedule} ltr placeholder="5s, 5m, 30m, 2h" onInput={(schedule) => set({ schedule })}
        help={t('webhooks.field.schedule.help')} problem={problems.schedule ? t('webhooks.problem.schedule') : undefined} />
      <Field id="wh-disable-after" label={t('webhooks.field.disableAfter')} value={form.disableAfterFailures} numeric onInput={(disableAfterFailures) => set({ disableAfterFailures })}
        problem={problems.disableAfterFailures ? t('webhooks.problem.disableAfter') : undefined} />
    </details>
  );
}
