// Budget alerts: the alertAtPercent marks a cost crossed (from below to at-or-above) when it was
// added. The limiter records each crossing as an audit event and keeps the recent ones for
// GET /api/limits; the alerts part of the hub routes them to channels. Pure.

export interface BudgetAlert {
  policy: string;
  /** The counter's scope ("client:web", "provider:openai"...). */
  scope: string;
  percent: number;
  spent: number;
  amount: number;
  currency: string;
  /** Start of the budget's period, epoch ms. */
  periodStart: number;
  /** When the mark was crossed, epoch ms. */
  at: number;
}

/** The marks (percent of `amount`) that `before → after` crossed, in ascending order. */
export function crossedPercents(before: number, after: number, amount: number, percents: readonly number[]): number[] {
  const out: number[] = [];
  if (!(after > before) || !(amount > 0)) return out;
  for (const p of percents) {
    const mark = (amount * p) / 100;
    if (before < mark && after >= mark) out.push(p);
  }
  return out;
}
