// POST /v1/feedback {"request_id": "<x-sil-request-id>", "score": 0..1}: a caller scores an
// answer it received in the last 24 hours. The score joins the usage rollups of that request
// (its client, binding, provider, key and model), where the analytics blend it into a target's
// quality. Only the client that made the request may score it, once: a repeated score is
// answered {"ok": true, "counted": false} and changes nothing.
import type { Context } from 'koa';
import type { ProxyState } from '../proxy-state.ts';
import type { RecentRequests } from '../../observe/analytics/recent-requests.ts';
import type { UsageStore } from '../../observe/usage-store/types.ts';
import { scoreRequest } from '../../observe/analytics/score-request.ts';
import { proxyError } from '../proxy-error.ts';
import { readBodyStage } from './read-body.ts';

export interface FeedbackDeps {
  recent: RecentRequests;
  store?: Pick<UsageStore, 'addScore'>;
  /** Several instances: asks the peers for a request this instance did not answer (server/cluster/feedback-relay.ts). */
  relay?: { ask(requestId: string, client: string, score: number): Promise<{ counted: boolean } | null> };
}

/** A feedback body is two fields: anything larger is not one. */
const MAX_BODY = 4_096;

const invalid = (message: string) => proxyError('SIL_FEEDBACK_INVALID', message);

function parse(body: Buffer): { requestId: string; score: number } {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('the body is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('the body must be a JSON object');
  const { request_id: requestId, score } = json as Record<string, unknown>;
  if (typeof requestId !== 'string' || requestId.length === 0 || requestId.length > 128) throw invalid('"request_id" must be the x-sil-request-id of an answer (a string)');
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 1) throw invalid('"score" must be a number from 0 to 1');
  return { requestId, score };
}

export function feedbackStage(deps: FeedbackDeps | undefined, now: () => Date) {
  return async function feedback(ctx: Context, state: ProxyState): Promise<void> {
    if (ctx.method !== 'POST') throw proxyError('SIL_PROXY_BAD_REQUEST', `no route for ${ctx.method} ${ctx.path}`, 'send POST /v1/feedback with {"request_id": "...", "score": 0..1}');
    if (Number(ctx.req.headers['content-length'] ?? 0) > MAX_BODY) throw invalid(`the body is larger than ${MAX_BODY} bytes`);
    await readBodyStage(ctx, state);
    if (state.body.length > MAX_BODY) throw invalid(`the body is larger than ${MAX_BODY} bytes`);
    const { requestId, score } = parse(state.body);
    const client = state.client!.name;
    const here = deps ? scoreRequest(deps, state.snapshot, requestId, client, score, now().getTime()) : { found: false, counted: false };
    const answer = here.found ? here : await deps?.relay?.ask(requestId, client, score);
    if (!answer) throw proxyError('SIL_FEEDBACK_UNKNOWN_REQUEST', `no answer to client ${client} in the last 24 hours has the request id "${requestId.slice(0, 64)}"`);
    const { counted } = answer;
    ctx.set('x-sil-request-id', state.requestId);
    ctx.body = { ok: true, counted };
  };
}
