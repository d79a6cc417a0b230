// The rate limit: requests per second / minute / hour / day and the burst.
import { t } from '../../i18n/index.ts';
import { RATE_PERIODS, type PolicyForm } from '../../lib/policies.ts';
import Section from './Section.tsx';
import { Choice, Field } from './FormFields.tsx';

type Rate = PolicyForm['rate'];
interface Props { rate: Rate; set: (patch: Partial<Rate>) => void; problems: Partial<Record<string, true>> }

export default function RateFields({ rate, set, problems }: Props) {
  const problem = (key: string) => (problems[key] ? t(`policies.problem.${key}`) : undefined);
  return (
    <Section id="rate" on={rate.on} onToggle={(on) => set({ on })}>
      <div class="bd-grid">
        <Field id="po-rate-requests" label={t('policies.rate.requests')} value={rate.requests} numeric placeholder="60" problem={problem('rateRequests')} onInput={(requests) => set({ requests })} />
        <Choice id="po-rate-per" label={t('policies.rate.per')} value={rate.per} options={RATE_PERIODS} optionKey="policies.per" onChange={(per) => set({ per })} />
        <Field id="po-rate-burst" label={t('policies.rate.burst')} value={rate.burst} numeric help={t('policies.rate.burst.help')} problem={problem('rateBurst')} onInput={(burst) => set({ burst })} />
      </div>
    </Section>
  );
}
