// What the admin API reads of the limiter (GET /api/limits).
import type { LimitStatusSource } from './limit-status.ts';
import type { BudgetAlert } from './budget-alerts.ts';

export interface LimitsView extends LimitStatusSource {
  alerts(): readonly BudgetAlert[];
}
