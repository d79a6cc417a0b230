// The proxy's request pipeline, one stage per file, in this order:
// authenticate → read body → resolve binding → admit → forward (plan, render, send, classify)
// → pass on (answer the caller, record usage) — then the request is logged. Only this middleware reads the live snapshot, once
// per request, so a reload mid-request changes nothing for it.
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import { authenticate } from './stages/authenticate.ts';
import { readBodyStage } from './stages/read-body.ts';
import { resolveBindingStage, UNIFIED_PATHS } from './stages/resolve-binding.ts';
import { admit } from './stages/admit.ts';
import { forward, type ForwardDeps } from './stages/forward.ts';
import { listModels } from './stages/list-models.ts';
import { feedbackStage, type FeedbackDeps } from './stages/feedback.ts';
import { sendError, proxyError } from './proxy-error.ts';
import { outcomeHeaders } from './outcome-headers.ts';
import { limitHeaders } from '../limits/admission.ts';
import { SilError } from '../errors.ts';
import type { RequestLog } from './request-log.ts';
import type { RequestOutcome } from '../observe/usage-recorder.ts';
import type { LiveConfig } from '../config/live-config.ts';
import type { ProxyState, Door } from './proxy-state.ts';
import type { ProxyAudit } from './proxy-audit.ts';

export interface ProxyDeps extends ForwardDeps {
  live: LiveConfig;
  log: RequestLog;
  remoteAddress: (ctx: Context) => string;
  /** The server log, for errors that are not shown to callers. */
  errorLog?: (line: string) => void;
  /** The runtime audit log: refused tokens and failovers (throttled). */
  audit?: ProxyAudit;
  /** POST /v1/feedback: the recent requests callers may score, and where scores go. */
  feedback?: FeedbackDeps;
}

const EMPTY = Buffer.alloc(0);

export function proxyMiddleware(deps: ProxyDeps) {
  const authenticateStage = authenticate(deps.now);
  const admitStage = admit(deps.remoteAddress, deps.limits);
  const forwardStage = forward(deps);
  const feedback = feedbackStage(deps.feedback, deps.now);

  // The stages in order; each throws a SilError to stop the request with that answer.
  async function run(ctx: Context, state: ProxyState): Promise<void> {
    authenticateStage(ctx, state);
    if (state.door === 'unified' && ctx.path === '/v1/models' && ctx.method === 'GET') {
      await admitStage(ctx, state);
      return listModels(ctx, state);
    }
    if (state.door === 'unified' && ctx.path === '/v1/feedback') {
      await admitStage(ctx, state);
      return feedback(ctx, state);
    }
    if (state.door === 'unified' && (!UNIFIED_PATHS[ctx.path] || ctx.method !== 'POST')) throw proxyError('SIL_PROXY_BAD_REQUEST', `no route for ${ctx.method} ${ctx.path}`, 'the unified API serves POST /v1/chat/completions, /v1/embeddings, /v1/images/generations, /v1/audio/transcriptions and GET /v1/models');
    await readBodyStage(ctx, state);
    resolveBindingStage(ctx, state);
    // Synchronous with in-memory counters: awaited only when the counter store answered later.
    const admitted = admitStage(ctx, state);
    if (admitted) await admitted;
    await forwardStage(ctx, state);
  }

  return async function proxy(ctx: Context, next: Next): Promise<void> {
    const door: Door | null = ctx.path.startsWith('/bind/') ? 'bind' : ctx.path.startsWith('/v1/') ? 'unified' : null;
    if (!door) return next();
    const requestId = randomUUID();
    const snapshot = deps.live.snapshot;
    // Every field from the start: one object shape for every request.
    const state: ProxyState = { requestId, startedAt: performance.now(), door, snapshot: snapshot!, client: undefined, binding: undefined, model: undefined, body: EMPTY, json: undefined, subPath: undefined, attempts: [], failoverReasons: [], answered: false, admission: undefined };
    ctx.state.proxy = state;
    let errorCode: string | undefined;
    try {
      if (!snapshot) throw proxyError('SIL_PROXY_NO_TARGET', 'the hub has no valid configuration loaded');
      await run(ctx, state);
    } catch (err) {
      errorCode = err instanceof SilError ? err.code : 'SIL_INTERNAL';
      if (!(err instanceof SilError) || !err.expose) deps.errorLog?.(`proxy: ${requestId}: ${(err as Error).stack ?? String(err)}`);
      // Set before the error's own headers, which writeHead merges with these.
      if (!ctx.res.headersSent) {
        for (const [name, value] of Object.entries(outcomeHeaders(state))) ctx.res.setHeader(name, value);
        if (state.admission) for (const [name, value] of Object.entries(limitHeaders(state.admission))) ctx.res.setHeader(name, value);
      }
      sendError(ctx, door, err, requestId);
      deps.audit?.refused(err, state, deps.remoteAddress(ctx));
    } finally {
      if (state.failoverReasons.length > 0) deps.audit?.failover(state, ctx.status);
      const lastAttempt = state.attempts[state.attempts.length - 1];
      const at = Date.now();
      const latencyMs = Math.round((performance.now() - state.startedAt) * 10) / 10;
      const outcome: RequestOutcome = {
        requestId,
        at,
        client: state.client?.name ?? '',
        binding: state.binding?.name ?? '',
        door,
        provider: lastAttempt?.provider,
        model: lastAttempt?.model,
        keyId: lastAttempt?.keyId,
        status: ctx.status,
        errorCode,
        latencyMs,
        attempts: state.attempts.length,
        failovers: state.failoverReasons.length,
        attemptRecords: state.attempts,
        answered: state.answered,
      };
      deps.usage?.outcome?.(outcome);
      deps.log.add({ ...outcome, id: requestId, failoverReasons: state.failoverReasons });
    }
  };
}
