// Built-in alerts from the hub's runtime events: a provider whose status turns to error
// (provider.status, from the health monitor) until it is back; a config commit rejected
// (config.rejected) until the next good commit goes live (config.applied); a budget mark crossed
// (budget.threshold), until its period ends (the engine checks that against the limiter). Pure.
import type { HubEvent } from '../../events/hub-events.ts';
import type { AlertRaise, AlertSeverity } from './types.ts';

export interface EventOutcome {
  raise?: AlertRaise;
  /** Ids of alerts the event clears. */
  resolve?: string[];
}

export const CONFIG_REJECTED_ID = 'config-rejected:config';
export const budgetAlertId = (policy: string, scope: string) => `budget:${policy}/${scope}`;

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function budgetSeverity(percent: number): AlertSeverity {
  return percent >= 100 ? 'critical' : percent >= 80 ? 'warning' : 'info';
}

export function outcomeOfEvent(e: HubEvent): EventOutcome {
  const d = e.data;
  switch (e.type) {
    case 'provider.status': {
      const provider = str(d.provider);
      if (!provider) return {};
      const id = `provider-down:${provider}`;
      // The monitor sends {provider, from, to, reason}; `status` is taken too.
      if ((d.to ?? d.status) !== 'error') return { resolve: [id] };
      const reason = str(d.reason);
      return {
        raise: {
          id,
          kind: 'provider-down',
          subject: provider,
          severity: 'critical',
          title: `${provider} is down`,
          detail: reason ? `The health monitor reports ${provider} in error: ${reason}.` : `The health monitor reports ${provider} in error.`,
          evidence: { provider, status: 'error', ...(typeof d.from === 'string' ? { from: d.from } : {}), ...(e.environment ? { environment: e.environment } : {}), ...(reason ? { reason: reason.slice(0, 300) } : {}) },
        },
      };
    }
    case 'config.rejected': {
      const commit = str(d.commit);
      const errors = num(d.errors) ?? 0;
      const first = str(d.first);
      return {
        raise: {
          id: CONFIG_REJECTED_ID,
          kind: 'config-rejected',
          subject: commit.slice(0, 12) || 'config',
          severity: 'critical',
          title: `Config commit ${commit.slice(0, 7)} was rejected`,
          detail: `${errors} error${errors === 1 ? '' : 's'}${first ? `, the first: ${first}` : ''}. The hub still serves the last good config; push a fix (sil validate shows every error).`,
          evidence: { commit, errors, ...(first ? { first: first.slice(0, 400) } : {}) },
        },
      };
    }
    case 'config.applied':
      return { resolve: [CONFIG_REJECTED_ID] };
    case 'budget.threshold': {
      const policy = str(d.policy);
      const scope = str(d.scope);
      const percent = num(d.percent) ?? 0;
      if (!policy) return {};
      const spent = num(d.spent) ?? 0;
      const amount = num(d.amount) ?? 0;
      const currency = str(d.currency) || 'USD';
      return {
        raise: {
          id: budgetAlertId(policy, scope),
          kind: 'budget',
          subject: `${policy}/${scope}`,
          severity: budgetSeverity(percent),
          title: `${policy}: ${percent} % of the budget spent (${scope})`,
          detail: `${spent} of ${amount} ${currency} spent this period by ${scope}.`,
          evidence: { policy, scope, percent, spent, amount, currency, ...(num(d.periodStart) !== undefined ? { periodStart: num(d.periodStart)! } : {}) },
        },
      };
    }
    default:
      return {};
  }
}
