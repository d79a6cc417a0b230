// The cohere-chat adapter: OpenAI Chat Completions callers served by Cohere's v2 Chat API
// (POST /v2/chat; Bearer auth comes from the provider template). Streaming is asked for in the
// body (`stream: true`), same path.
import { cohereRequest } from './cohere-request.ts';
import { cohereError, cohereResponse, cohereUsage } from './cohere-response.ts';
import { CohereStreamTranslator } from './cohere-stream.ts';
import { includeUsage } from './openai-stream.ts';
import type { ProtocolAdapter } from './types.ts';

export const cohereAdapter: ProtocolAdapter = Object.freeze<ProtocolAdapter>({
  protocol: 'cohere-chat',
  path: () => '/v2/chat',
  headers: (stream: boolean) => ({ 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' }),
  request: cohereRequest,
  response: cohereResponse,
  usage: cohereUsage,
  error: cohereError,
  stream: (openai, model) => new CohereStreamTranslator(model, includeUsage(openai)),
});
