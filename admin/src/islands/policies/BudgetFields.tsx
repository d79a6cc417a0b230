// The budget: an amount of money per day or month, what happens when it is spent (alert only, or
// block requests), and the percents at which an alert is written.
import { t } from '../../i18n/index.ts';
import { ON_EXCEEDED, PERIODS, type PolicyForm } from '../../lib/policies.ts';
import Section from './Section.tsx';
import { Choice, Field } from './FormFields.tsx';

type Budget = PolicyForm['budget'];
interface Props { budget: Budget; set: (patch: Partial<Budget>) => void; problems: Partial<Record<string, true>> }

export default function BudgetFields({ budget, set, problems }: Props) {
  const problem = (key: string) => (problems[key] ? t(`policies.problem.${key}`) : undefined);
  return (
    <Section id="budget" on={budget.on} onToggle={(on) => set({ on })}>
      <div class="bd-grid">
        <Field id="po-budget-amount" label={t('policies.budget.amount')} value={budget.amount} numeric placeholder="50" problem={problem('budgetAmount')} onInput={(amount) => set({ amount })} />
        <Field id="po-budget-currency" label={t('policies.budget.currency')} value={budget.currency} ltr placeholder="USD" problem={problem('budgetCurrency')} onInput={(currency) => set({ currency })} />
        <Choice id="po-budget-period" label={t('policies.budget.period')} value={budget.period} options={PERIODS} optionKey="policies.period" onChange={(period) => set({ period })} />
        <Choice id="po-budget-onExceeded" label={t('policies.budget.onExceeded')} value={budget.onExceeded} options={ON_EXCEEDED} optionKey="policies.budget.onExceeded" onChange={(onExceeded) => set({ onExceeded })} />
      </div>
      <Field id="po-budget-alertAt" label={t('policies.budget.alertAt')} value={budget.alertAtPercent} ltr placeholder="50, 80, 100" help={t('policies.budget.alertAt.help')} problem={problem('budgetAlertAt')} onInput={(alertAtPercent) => set({ alertAtPercent })} />
    </Section>
  );
}
