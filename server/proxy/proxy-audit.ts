// Runtime audit events of the proxy: refused client tokens and failovers. Both can come in
// floods (a scanner, a provider outage), so each kind is recorded at most once a minute per
// address or binding; the request log and the metrics keep the full count.
import type { AuditEvent } from '../observe/audit-log.ts';
import { SilError } from '../errors.ts';
import { OncePer } from '../core/once-per.ts';
import type { ProxyState } from './proxy-state.ts';

export type AuditSink = (event: AuditEvent) => void;

export class ProxyAudit {
  readonly #sink: AuditSink;
  readonly #once: OncePer;

  constructor(sink: AuditSink, now: () => number = Date.now) {
    this.#sink = sink;
    this.#once = new OncePer(60_000, now);
  }

  /** A request refused for its token, its address or a binding it may not use. */
  refused(err: unknown, state: ProxyState, ip: string): void {
    if (!(err instanceof SilError) || (err.code !== 'SIL_PROXY_UNAUTHENTICATED' && err.code !== 'SIL_PROXY_FORBIDDEN')) return;
    if (!this.#once.due(`denied ${ip} ${err.code}`)) return;
    const actor = state.client ? (`client:${state.client.name}` as const) : 'anonymous';
    this.#sink({ type: 'token.denied', actor, ip, detail: { code: err.code, reason: err.message.slice(0, 200), path: state.door === 'bind' ? '/bind/' : '/v1/' } });
  }

  /** A request that needed more than one target, or found targets skipped. */
  failover(state: ProxyState, status: number): void {
    if (state.failoverReasons.length === 0 || !state.binding) return;
    if (!this.#once.due(`failover ${state.binding.name}`)) return;
    const last = state.attempts[state.attempts.length - 1];
    this.#sink({
      type: 'proxy.failover',
      actor: state.client ? `client:${state.client.name}` : 'system',
      detail: { binding: state.binding.name, provider: last?.provider ?? '', attempts: state.attempts.length, status, reasons: state.failoverReasons.join('; ').slice(0, 400) },
    });
  }
}
