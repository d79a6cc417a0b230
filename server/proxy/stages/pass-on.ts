// Stage: the chosen attempt's answer goes to the caller — translated by the protocol adapter,
// written whole, or relayed as it arrives — and what it used and cost is recorded (for a stream,
// once it has ended). From here on there is no failover.
import type { Context } from 'koa';
import type { CompiledService } from '../../config/snapshot.ts';
import { forwardableResponseHeaders } from '../headers.ts';
import { applyLimitHeaders } from '../../limits/admission.ts';
import { proxyError } from '../proxy-error.ts';
import { readUsage, costOf, type UsageFigures } from '../../observe/usage.ts';
import { answerMeter, wholeAnswerUsage } from '../answer-meter.ts';
import { relayAnswer } from '../relay.ts';
import { contentTypeOf, isSse } from '../media-type.ts';
import { failoverReasonHeader } from '../outcome-headers.ts';
import { adaptedAnswer } from '../adapted-body.ts';
import { writeAnswer } from '../respond.ts';
import type { SendResult } from '../upstream.ts';
import type { ProxyState } from '../proxy-state.ts';
import type { OpenAIChatRequest, ProtocolAdapter } from '../../protocols/types.ts';
import type { UsageRecorder } from '../../observe/usage-recorder.ts';

export interface Chosen {
  provider: string;
  service: CompiledService;
  model: string | undefined;
  keyId: string;
  adapter: ProtocolAdapter | null;
  answer: Extract<SendResult, { kind: 'response' }>;
}

/** Records what the answer used and cost. */
function record(recorder: UsageRecorder | undefined, state: ProxyState, chosen: Chosen, used: UsageFigures): void {
  if (!recorder) return;
  const { service, model } = chosen;
  const pricing = (model ? service.models.get(model)?.pricing : undefined) ?? service.pricing;
  recorder.record({
    requestId: state.requestId,
    at: Date.now(),
    client: state.client!.name,
    binding: state.binding!.name,
    provider: chosen.provider,
    model,
    keyId: chosen.keyId,
    status: chosen.answer.status,
    latencyMs: Math.round(performance.now() - state.startedAt),
    attempts: state.attempts.length,
    usage: used,
    cost: costOf(used, pricing, { inputIncludesCached: service.usage?.inputIncludesCached }),
    currency: pricing?.currency ?? 'USD',
  });
}

export async function passOn(ctx: Context, state: ProxyState, chosen: Chosen, recorder: UsageRecorder | undefined): Promise<void> {
  const { answer, service, adapter } = chosen;
  state.answered = true;
  const { status, headers: answerHeaders, body } = answer;
  const headers = forwardableResponseHeaders(answerHeaders);
  // sil's own x-ratelimit-* trios (a policy applied) replace the provider's.
  if (state.admission) applyLimitHeaders(headers, state.admission);
  headers['x-sil-request-id'] = state.requestId;
  headers['x-sil-provider'] = chosen.provider;
  if (chosen.model) headers['x-sil-model'] = chosen.model;
  headers['x-sil-attempts'] = String(state.attempts.length);
  const reasons = failoverReasonHeader(state);
  if (reasons) headers['x-sil-failover-reason'] = reasons;
  const recordUsed = (used: unknown) => record(recorder, state, chosen, readUsage(service.usage, used, answerHeaders));

  if (adapter) {
    const adapted = await adaptedAnswer(adapter, status, body, answerHeaders, state.json as unknown as OpenAIChatRequest, chosen.model ?? '').catch((err: Error) => {
      // A whole answer cut while it was read for translation: nothing has reached the caller yet.
      const timedOut = err?.name === 'TimeoutError';
      state.failoverReasons.push(`${chosen.provider}: ${timedOut ? 'timeout (total)' : 'answer cut off'}`);
      throw proxyError(timedOut ? 'SIL_PROXY_TIMEOUT' : 'SIL_PROXY_UPSTREAM', `the provider's answer ${timedOut ? 'passed the total time limit' : 'was cut off'} while it was read: ${state.failoverReasons.join('; ')}`);
    });
    headers['content-type'] = adapted.contentType;
    delete headers['content-encoding']; // the translation is sent as plain text
    writeAnswer(ctx, status, headers, adapted.body);
    void adapted.usage.then((u) => record(recorder, state, chosen, u ?? {}));
  } else if (body.kind === 'bytes') {
    // Read whole: passed on as it came (still compressed if it was), usage read after.
    if (ctx.method === 'HEAD' && answerHeaders['content-length'] !== undefined) headers['content-length'] = String(answerHeaders['content-length']);
    writeAnswer(ctx, status, headers, body.bytes);
    const used = wholeAnswerUsage(service.usage, answerHeaders, body.bytes);
    if (used instanceof Promise) void used.then(recordUsed);
    else recordUsed(used);
  } else {
    if (answerHeaders['content-length'] !== undefined) headers['content-length'] = String(answerHeaders['content-length']);
    ctx.respond = false;
    void relayAnswer(ctx.res, status, headers, body.stream, answerMeter(service.usage, answerHeaders), isSse(contentTypeOf(answerHeaders))).then(recordUsed);
  }
}
