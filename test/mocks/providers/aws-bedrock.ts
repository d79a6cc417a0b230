// Amazon Bedrock mock: Bedrock Runtime (bedrock-runtime.{region}) and the control plane
// (bedrock.{region}) on one 127.0.0.1 server — their paths do not overlap and both sign with
// service `bedrock`. Auth as documented: SigV4 (test/helpers/sigv4-verify.ts, service bedrock,
// the instance's region) or a Bedrock API key as `Authorization: Bearer` (AWS_BEARER_TOKEN_BEDROCK).
// Sources: docs.aws.amazon.com/bedrock/latest/APIReference (Converse, ConverseStream, InvokeModel:
// X-Amzn-Bedrock-Input-Token-Count / -Output-Token-Count headers; ListFoundationModels GET
// /foundation-models → modelSummaries; errors `x-amzn-ErrorType` + `{"message"}`, ThrottlingException 429,
// ValidationException 400), userguide/api-keys-use.html, userguide/inference-chat-completions.html
// (POST /openai/v1/chat/completions, AWS credentials or an API key). A refused API key:
// 403 `{"Message":"Authentication failed: Please make sure your API Key is valid."}` (as observed;
// not in the reference). Bedrock sends no rate-limit headers.
import { randomUUID } from 'node:crypto';
import { startMockServer, bodyJson, type MockAnswer, type ProviderMock, type ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { converseTextStream } from '../../helpers/bedrock-mock.ts';
import { checkSigV4, restJsonRefusal, type AwsCredentials, type SigV4Result } from './h2-aws.ts';

export interface BedrockUsage { inputTokens: number; outputTokens: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number }

export interface AwsBedrockMockOptions { creds: AwsCredentials; region: string; apiKey?: string; models?: string[] }

export interface AwsBedrockMock extends ProviderMock {
  /** Each SigV4 check, in order (requests with a Bearer key add none). */
  checks: SigV4Result[];
  /** The usage the next answers report. */
  usage: BedrockUsage;
  /** Refuse every credential from now on (a deleted access key / revoked API key). */
  revoke(on?: boolean): void;
  /** The next model call whose path starts with `path` answers 429 ThrottlingException. */
  throttleNext(path: string): void;
}

const ERROR_TYPE = (type: string) => ({ 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': randomUUID() });
const error = (status: number, type: string, message: string): MockAnswer => ({ status, headers: ERROR_TYPE(type), body: { message } });

const DEFAULT_MODELS = ['anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'openai.gpt-oss-20b-1:0'];

export async function startAwsBedrockMock(o: AwsBedrockMockOptions): Promise<AwsBedrockMock> {
  const checks: SigV4Result[] = [];
  const models = o.models ?? DEFAULT_MODELS;
  let revoked = false;
  let throttle: string | null = null;
  const usage: BedrockUsage = { inputTokens: 21, outputTokens: 8 };

  function authenticate(r: ReceivedRequest): MockAnswer | null {
    const auth = String(r.headers.authorization ?? '');
    if (auth.startsWith('Bearer ')) {
      if (o.apiKey === undefined || revoked || auth !== `Bearer ${o.apiKey}`) return { status: 403, headers: ERROR_TYPE('AccessDeniedException'), body: { Message: 'Authentication failed: Please make sure your API Key is valid.' } };
      return null;
    }
    if (auth === '') return error(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    const check = checkSigV4(r, o.creds, o.region, 'bedrock');
    checks.push(check);
    if (!check.ok) return restJsonRefusal(check.code, check.reason);
    if (revoked) return restJsonRefusal('InvalidClientTokenId', 'revoked');
    return null;
  }

  function usageOut(): Record<string, number> {
    const { inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens } = usage;
    const total = inputTokens + outputTokens + (cacheReadInputTokens ?? 0) + (cacheWriteInputTokens ?? 0);
    return { inputTokens, outputTokens, totalTokens: total, ...(cacheReadInputTokens !== undefined ? { cacheReadInputTokens } : {}), ...(cacheWriteInputTokens !== undefined ? { cacheWriteInputTokens } : {}) };
  }

  function model(r: ReceivedRequest, id: string, op: string): MockAnswer {
    if (!models.includes(id)) return error(400, 'ValidationException', 'The provided model identifier is invalid.');
    const body = bodyJson(r) as Record<string, unknown> | undefined;
    if (!body) return error(400, 'ValidationException', 'Malformed input request, please reformat your input and try again.');
    const rid = { 'x-amzn-requestid': randomUUID() };
    if (op === 'converse' || op === 'converse-stream') {
      if (!Array.isArray(body.messages) || body.messages.length === 0) return error(400, 'ValidationException', 'A conversation must start with a user message.');
      if (op === 'converse-stream') return { status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream', ...rid }, chunks: converseTextStream(['Hello from ', 'Bedrock'], 'end_turn', usage) };
      return { status: 200, headers: rid, body: { output: { message: { role: 'assistant', content: [{ text: 'Hello from Bedrock' }] } }, stopReason: 'end_turn', usage: usageOut(), metrics: { latencyMs: 95 } } };
    }
    // InvokeModel: the model's own body (Anthropic Messages here), token counts in headers.
    return {
      status: 200,
      headers: { ...rid, 'x-amzn-bedrock-input-token-count': String(usage.inputTokens), 'x-amzn-bedrock-output-token-count': String(usage.outputTokens), 'x-amzn-bedrock-invocation-latency': '95' },
      body: { id: 'msg_bdrk_01', type: 'message', role: 'assistant', model: id, content: [{ type: 'text', text: 'Hello from InvokeModel' }], stop_reason: 'end_turn', usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens } },
    };
  }

  function openaiChat(r: ReceivedRequest): MockAnswer {
    const body = bodyJson(r) as { model?: string; messages?: unknown[] } | undefined;
    if (!body?.model || !models.includes(body.model)) return { status: 404, body: { error: { message: `The model \`${body?.model}\` does not exist.`, type: 'invalid_request_error', code: 'model_not_found', param: 'model' } } };
    const completion = { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens };
    return { status: 200, headers: { 'x-amzn-requestid': randomUUID() }, body: { id: `chatcmpl-${randomUUID()}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from gpt-oss on Bedrock' }, finish_reason: 'stop' }], usage: completion } };
  }

  const mock = await startMockServer((r) => {
    const refused = authenticate(r);
    if (refused) return refused;
    if (r.method === 'GET' && r.path === '/foundation-models') {
      return { status: 200, headers: { 'x-amzn-requestid': randomUUID() }, body: { modelSummaries: models.map((id) => ({ modelArn: `arn:aws:bedrock:${o.region}::foundation-model/${id}`, modelId: id, modelName: id, providerName: id.split('.')[0], inputModalities: ['TEXT'], outputModalities: ['TEXT'], responseStreamingSupported: true, customizationsSupported: [], inferenceTypesSupported: ['ON_DEMAND'], modelLifecycle: { status: 'ACTIVE' } })) } };
    }
    const m = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(r.path);
    if (m && r.method === 'POST') {
      if (throttle !== null && r.path.startsWith(throttle)) {
        throttle = null;
        return error(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
      }
      return model(r, decodeURIComponent(m[1]!), m[2]!);
    }
    if (r.method === 'POST' && r.path === '/openai/v1/chat/completions') return openaiChat(r);
    return error(404, 'UnknownOperationException', `no operation at ${r.method} ${r.path}`);
  });
  return Object.assign(mock, {
    checks,
    usage,
    revoke: (on = true) => void (revoked = on),
    throttleNext: (path: string) => void (throttle = path),
  });
}
