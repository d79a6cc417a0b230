// Protocol adapters: what the failover proxy needs to serve an OpenAI Chat Completions caller
// from a service that speaks another protocol (compatibility.ts lists which). An adapter is
// pure: it turns JSON into JSON and SSE text into SSE text; the proxy does the sending.
//
// The OpenAI types below are the subset sil reads and writes, not the whole API. Caller JSON is
// never trusted to match them: the adapters check what they read at run time.

// ---- OpenAI Chat Completions: request ----

export interface OpenAITextPart { type: 'text'; text: string; cache_control?: unknown }
export interface OpenAIImagePart { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } }
export interface OpenAIAudioPart { type: 'input_audio'; input_audio: { data: string; format: string } }
export interface OpenAIFilePart { type: 'file'; file: { file_data?: string; file_id?: string; filename?: string } }
export interface OpenAIRefusalPart { type: 'refusal'; refusal: string }
export type OpenAIContentPart = OpenAITextPart | OpenAIImagePart | OpenAIAudioPart | OpenAIFilePart | OpenAIRefusalPart;

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /** Gemini's extension (its OpenAI-compatible endpoint uses it too): the part's thought signature. */
  extra_content?: { google?: { thought_signature?: string } };
}

export type OpenAIRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface OpenAIMessage {
  role: OpenAIRole;
  content?: string | OpenAIContentPart[] | null;
  name?: string;
  /** assistant */
  tool_calls?: OpenAIToolCall[];
  refusal?: string | null;
  /** tool */
  tool_call_id?: string;
}

export interface OpenAITool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null };
}

export type OpenAIToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

export type OpenAIResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean | null } };

export interface OpenAIChatRequest {
  model: string;
  messages: OpenAIMessage[];
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  stop?: string | string[] | null;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  n?: number | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  seed?: number | null;
  user?: string;
  tools?: OpenAITool[];
  tool_choice?: OpenAIToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: OpenAIResponseFormat;
  /** Anything else the caller sent (ignored unless an adapter says otherwise). */
  [field: string]: unknown;
}

// ---- OpenAI Chat Completions: answer ----

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: number;
    message: { role: 'assistant'; content: string | null; refusal: null; tool_calls?: OpenAIToolCall[] };
    finish_reason: OpenAIFinishReason | null;
    logprobs: null;
  }[];
  usage?: OpenAIUsage;
}

export interface OpenAIToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
  extra_content?: { google?: { thought_signature?: string } };
}

export interface OpenAIChunkDelta { role?: 'assistant'; content?: string; tool_calls?: OpenAIToolCallDelta[] }

export interface OpenAIChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: { index: number; delta: OpenAIChunkDelta; finish_reason: OpenAIFinishReason | null; logprobs: null }[];
  usage?: OpenAIUsage | null;
}

/** The OpenAI error shape: an error answer's body, or `data: {"error": ...}` in a stream. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: null; code: string | null };
}

// ---- Adapters ----

/** Token counts as the provider reports them (the provider template's `usage:` convention). */
export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  /** Input tokens written to the prompt cache (Anthropic, Bedrock Converse). */
  cacheWriteTokens?: number;
}

/** Translates one native SSE stream into OpenAI `chat.completion.chunk` frames. */
export interface StreamTranslator {
  /**
   * Native SSE text (or raw bytes, decoded as UTF-8 across chunk borders) in; complete OpenAI
   * frames (`data: {...}\n\n`) out. Events may be split anywhere across chunks.
   */
  push(chunk: string | Uint8Array): string[];
  /**
   * The upstream stream ended: the usage chunk (when the caller asked for
   * `stream_options.include_usage`), an error frame if the stream stopped before the answer was
   * complete, then `data: [DONE]\n\n`. Later calls return nothing.
   */
  end(): string[];
  /** Tokens reported so far (final once the stream ended). */
  usage(): TokenUsage;
}

export interface ProtocolAdapter {
  /** The service protocol this adapter speaks (a compatibility.ts name). */
  readonly protocol: string;
  /** Path below the service's base URL (the provider templates' baseUrl), model filled in and encoded. */
  path(model: string, stream: boolean): string;
  /** Request headers the protocol needs besides auth and the provider's own (content type, accept). */
  headers(stream: boolean): Record<string, string>;
  /** The native JSON body. Throws SIL_PROXY_BAD_REQUEST for what cannot be translated. */
  request(openai: OpenAIChatRequest, model: string): unknown;
  /** A native 2xx JSON answer as an OpenAI chat completion. Throws SIL_PROXY_UPSTREAM if unreadable. */
  response(native: unknown, model: string): OpenAIChatCompletion;
  /** Token usage of a native 2xx JSON answer. */
  usage(native: unknown): TokenUsage;
  /** A native error answer (any status >= 400; body parsed, or the raw text) in the OpenAI error shape. */
  error(status: number, native: unknown): OpenAIErrorBody;
  /** A translator for the native stream of this request (reads `stream_options.include_usage`). */
  stream(openai: OpenAIChatRequest, model: string): StreamTranslator;
}
