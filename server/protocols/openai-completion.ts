// The OpenAI chat completion every adapter answers with: one choice, the texts joined (null
// content when the answer is only tool calls), the tool calls, the finish reason and usage.
import { nowSeconds } from './openai-stream.ts';
import type { OpenAIChatCompletion, OpenAIFinishReason, OpenAIToolCall, OpenAIUsage } from './types.ts';

export interface CompletionParts {
  id: string;
  model: string;
  texts: readonly string[];
  toolCalls: OpenAIToolCall[];
  finish: OpenAIFinishReason;
  usage: OpenAIUsage;
}

export function chatCompletion(p: CompletionParts): OpenAIChatCompletion {
  return {
    id: p.id,
    object: 'chat.completion',
    created: nowSeconds(),
    model: p.model,
    choices: [{
      index: 0,
      message: {
        role: 'assistant',
        content: p.texts.length > 0 ? p.texts.join('') : p.toolCalls.length > 0 ? null : '',
        refusal: null,
        ...(p.toolCalls.length > 0 ? { tool_calls: p.toolCalls } : {}),
      },
      finish_reason: p.finish,
      logprobs: null,
    }],
    usage: p.usage,
  };
}
