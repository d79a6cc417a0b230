// OpenAI Chat Completions request → Anthropic Messages request (POST /v1/messages).
import {
  functionTools, imageUrlOf, isHttpUrl, isObject, maxTokens, parseDataUrl, partsOf, readRequest, refuse, stopSequences,
  textsOf, toolArguments, toolCallsOf, toolChoiceOf, toolResultText,
} from './openai-request.ts';
import type { OpenAIChatRequest, OpenAIContentPart, OpenAIMessage } from './types.ts';
import { collectTurns } from './turns.ts';

const P = 'anthropic-messages';

/** Anthropic requires max_tokens; this is used when the caller gives none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

type Block = Record<string, unknown>;
function textBlock(text: string, part?: OpenAIContentPart): Block {
  const block: Block = { type: 'text', text };
  // Prompt caching: callers of OpenAI-compatible gateways mark parts with Anthropic's cache_control.
  if (part?.type === 'text' && part.cache_control !== undefined) block.cache_control = part.cache_control;
  return block;
}

function imageBlock(url: string, where: string): Block {
  const data = parseDataUrl(url);
  if (data) return { type: 'image', source: { type: 'base64', media_type: data.mediaType, data: data.data } };
  if (isHttpUrl(url)) return { type: 'image', source: { type: 'url', url } };
  throw refuse(P, `${where}: an image URL must be https://, http:// or a base64 data: URL`);
}

function userBlocks(m: OpenAIMessage, i: number): Block[] {
  return partsOf(m, i, P).flatMap((p, j): Block[] => {
    const where = `messages[${i}].content[${j}]`;
    switch (p.type) {
      case 'text':
        return p.text === '' ? [] : [textBlock(p.text, p)];
      case 'image_url':
        return [imageBlock(imageUrlOf(p, where, P), where)];
      case 'file': {
        const data = typeof p.file?.file_data === 'string' ? parseDataUrl(p.file.file_data) : null;
        if (data?.mediaType === 'application/pdf') return [{ type: 'document', source: { type: 'base64', media_type: data.mediaType, data: data.data } }];
        throw refuse(P, `${where}: only PDF files given inline as a base64 data: URL (file.file_data) can be sent`);
      }
      default:
        throw refuse(P, `${where}: "${p.type}" content is not supported`);
    }
  });
}

function assistantBlocks(m: OpenAIMessage, i: number): Block[] {
  const blocks: Block[] = textsOf(m, i, P).map((t) => textBlock(t));
  for (const call of toolCallsOf(m, i, P)) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolArguments(call, P) });
  }
  return blocks;
}

function toolResultBlock(m: OpenAIMessage, i: number): Block {
  const text = toolResultText(m, i, P);
  return { type: 'tool_result', tool_use_id: m.tool_call_id, content: text };
}

/** Anthropic merges consecutive turns of one role anyway; merging here keeps tool results first. */
function toolChoice(req: OpenAIChatRequest): Block | undefined {
  const choice = toolChoiceOf(req, P);
  const noParallel = req.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return req.parallel_tool_calls === false ? { type: 'auto', ...noParallel } : undefined;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...noParallel };
  if (choice === 'required') return { type: 'any', ...noParallel };
  return { type: 'tool', name: choice.name, ...noParallel };
}

export function anthropicRequest(input: OpenAIChatRequest, model: string): Record<string, unknown> {
  const req = readRequest(input, P);
  if (req.temperature != null && (req.temperature < 0 || req.temperature > 1)) {
    throw refuse(P, `temperature ${req.temperature} is outside Anthropic's range 0 to 1`);
  }
  for (const name of ['presence_penalty', 'frequency_penalty'] as const) {
    if (req[name] != null && req[name] !== 0) throw refuse(P, `\`${name}\` is not available`);
  }
  const rf = req.response_format;
  if (rf != null && !(isObject(rf) && rf.type === 'text')) throw refuse(P, `response_format ${JSON.stringify(isObject(rf) ? rf.type : rf)} is not available (only "text")`);

  const { system, turns } = collectTurns(req.messages, P, { user: userBlocks, assistant: assistantBlocks, tool: toolResultBlock });

  const body: Record<string, unknown> = { model, max_tokens: maxTokens(req, P) ?? ANTHROPIC_DEFAULT_MAX_TOKENS, messages: turns };
  if (system.length > 0) body.system = system.join('\n\n');
  if (req.temperature != null) body.temperature = req.temperature;
  if (req.top_p != null) body.top_p = req.top_p;
  const stop = stopSequences(req, P);
  if (stop) body.stop_sequences = stop;
  if (req.stream === true) body.stream = true;
  const tools = functionTools(req, P);
  if (tools.length > 0) {
    body.tools = tools.map((t) => ({
      name: t.function.name,
      ...(t.function.description ? { description: t.function.description } : {}),
      input_schema: t.function.parameters ?? { type: 'object', properties: {} },
    }));
    const choice = toolChoice(req);
    if (choice) body.tool_choice = choice;
  }
  if (typeof req.user === 'string' && req.user !== '') body.metadata = { user_id: req.user };
  return body;
}
