// The bedrock-converse adapter: OpenAI Chat Completions callers served by Bedrock's Converse API
// (base URL https://bedrock-runtime.<region>.amazonaws.com; SigV4 or a Bedrock API key from the
// provider template). The model id is in the path, URL-encoded as one segment (ids hold ':',
// inference profile ARNs '/'); streaming is another operation, converse-stream, answered as an
// AWS event stream.
import { bedrockRequest } from './bedrock-request.ts';
import { bedrockError, bedrockResponse, bedrockUsage } from './bedrock-response.ts';
import { BedrockStreamTranslator } from './bedrock-stream.ts';
import { includeUsage } from './openai-stream.ts';
import type { ProtocolAdapter } from './types.ts';

export function bedrockPath(model: string, stream: boolean): string {
  return `/model/${encodeURIComponent(model)}/${stream ? 'converse-stream' : 'converse'}`;
}

export const bedrockAdapter: ProtocolAdapter = Object.freeze<ProtocolAdapter>({
  protocol: 'bedrock-converse',
  path: bedrockPath,
  headers: (stream: boolean) => ({ 'content-type': 'application/json', accept: stream ? 'application/vnd.amazon.eventstream' : 'application/json' }),
  request: bedrockRequest,
  response: bedrockResponse,
  usage: bedrockUsage,
  error: (status, native) => bedrockError(status, native),
  stream: (openai, model) => new BedrockStreamTranslator(model, includeUsage(openai)),
});
