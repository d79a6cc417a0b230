// The anthropic-messages adapter: OpenAI Chat Completions callers served by Anthropic's
// Messages API (POST /v1/messages; auth x-api-key and the anthropic-version header come from the
// provider template). Streaming is asked for in the body (`stream: true`), same path.
import { anthropicRequest } from './anthropic-request.ts';
import { anthropicError, anthropicResponse, anthropicUsage } from './anthropic-response.ts';
import { AnthropicStreamTranslator } from './anthropic-stream.ts';
import { includeUsage } from './openai-stream.ts';
import type { ProtocolAdapter } from './types.ts';

export const anthropicAdapter: ProtocolAdapter = Object.freeze<ProtocolAdapter>({
  protocol: 'anthropic-messages',
  path: () => '/v1/messages',
  headers: (stream: boolean) => ({ 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' }),
  request: anthropicRequest,
  response: anthropicResponse,
  usage: anthropicUsage,
  error: anthropicError,
  stream: (openai, model) => new AnthropicStreamTranslator(model, includeUsage(openai)),
});
