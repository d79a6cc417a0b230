// The quota: requests and AI tokens per day or month (either or both).
import { t } from '../../i18n/index.ts';
import { PERIODS, type PolicyForm } from '../../lib/policies.ts';
import Section from './Section.tsx';
import { Choice, Field } from './FormFields.tsx';

type Quota = PolicyForm['quota'];
interface Props { quota: Quota; set: (patch: Partial<Quota>) => void; problems: Partial<Record<string, true>> }

export default function QuotaFields({ quota, set, problems }: Props) {
  const problem = (key: string) => (problems[key] ? t(`policies.problem.${key}`) : undefined);
  return (
    <Section id="quota" on={quota.on} onToggle={(on) => set({ on })}>
      <p class={problems.quotaEmpty ? 'field-error' : 'field-help'} id="po-quota-help">{t(problems.quotaEmpty ? 'policies.problem.quotaEmpty' : 'policies.quota.help')}</p>
      <div class="bd-grid">
        <Field id="po-quota-requests" label={t('policies.quota.requests')} value={quota.requests} numeric placeholder="1000" problem={problem('quotaRequests')} onInput={(requests) => set({ requests })} />
        <Field id="po-quota-tokens" label={t('policies.quota.tokens')} value={quota.tokens} numeric placeholder="2000000" problem={problem('quotaTokens')} onInput={(tokens) => set({ tokens })} />
        <Choice id="po-quota-period" label={t('policies.quota.period')} value={quota.period} options={PERIODS} optionKey="policies.period" onChange={(period) => set({ period })} />
      </div>
    </Section>
  );
}
