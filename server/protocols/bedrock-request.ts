// OpenAI Chat Completions request → Bedrock Converse request (POST /model/{modelId}/converse or
// /converse-stream; the model is in the path, not the body).
import {
  functionTools, imageUrlOf, isObject, maxTokens, parseDataUrl, partsOf, readRequest, refuse, stopSequences,
  textsOf, toolArguments, toolCallsOf, toolChoiceOf, toolResultText,
} from './openai-request.ts';
import type { OpenAIChatRequest, OpenAIMessage } from './types.ts';
import { collectTurns } from './turns.ts';

const P = 'bedrock-converse';

type Block = Record<string, unknown>;
const IMAGE_FORMATS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp' };

function userBlocks(m: OpenAIMessage, i: number): Block[] {
  return partsOf(m, i, P).flatMap((p, j): Block[] => {
    const where = `messages[${i}].content[${j}]`;
    switch (p.type) {
      case 'text':
        return p.text === '' ? [] : [{ text: p.text }];
      case 'image_url': {
        const data = parseDataUrl(imageUrlOf(p, where, P));
        const format = data ? IMAGE_FORMATS[data.mediaType] : undefined;
        if (!data || !format) throw refuse(P, `${where}: an image must be a base64 data: URL of a PNG, JPEG, GIF or WebP image (Converse does not fetch URLs)`);
        return [{ image: { format, source: { bytes: data.data } } }];
      }
      case 'file': {
        const data = typeof p.file?.file_data === 'string' ? parseDataUrl(p.file.file_data) : null;
        if (data?.mediaType === 'application/pdf') {
          // Converse wants a document name of letters, digits, spaces, hyphens, parentheses and brackets.
          const name = (typeof p.file.filename === 'string' ? p.file.filename.replace(/\.pdf$/i, '') : '').replace(/[^A-Za-z0-9 ()[\]-]/g, ' ').trim() || `document ${i}-${j}`;
          return [{ document: { format: 'pdf', name, source: { bytes: data.data } } }];
        }
        throw refuse(P, `${where}: only PDF files given inline as a base64 data: URL (file.file_data) can be sent`);
      }
      default:
        throw refuse(P, `${where}: "${p.type}" content is not supported`);
    }
  });
}

function assistantBlocks(m: OpenAIMessage, i: number): Block[] {
  const blocks: Block[] = textsOf(m, i, P).map((text) => ({ text }));
  for (const call of toolCallsOf(m, i, P)) {
    blocks.push({ toolUse: { toolUseId: call.id, name: call.function.name, input: toolArguments(call, P) } });
  }
  return blocks;
}

function toolResultBlock(m: OpenAIMessage, i: number): Block {
  const text = toolResultText(m, i, P);
  return { toolResult: { toolUseId: m.tool_call_id, content: [{ text }] } };
}

/** Converse wants alternating turns: consecutive turns of one role are merged. */
function toolConfig(req: OpenAIChatRequest): Block | undefined {
  const tools = functionTools(req, P);
  const choice = toolChoiceOf(req, P);
  if (tools.length === 0) {
    if (choice === 'required' || (isObject(choice) && 'name' in choice)) throw refuse(P, 'tool_choice asks for a tool but `tools` is empty');
    return undefined;
  }
  if (choice === 'none') throw refuse(P, 'tool_choice "none" is not available with tools (leave the tools out instead)');
  const config: Block = {
    tools: tools.map((t) => ({
      toolSpec: {
        name: t.function.name,
        ...(t.function.description ? { description: t.function.description } : {}),
        inputSchema: { json: t.function.parameters ?? { type: 'object', properties: {} } },
      },
    })),
  };
  if (choice === 'auto') config.toolChoice = { auto: {} };
  else if (choice === 'required') config.toolChoice = { any: {} };
  else if (choice !== undefined) config.toolChoice = { tool: { name: choice.name } };
  return config;
}

export function bedrockRequest(input: OpenAIChatRequest, _model: string): Record<string, unknown> {
  const req = readRequest(input, P);
  for (const name of ['presence_penalty', 'frequency_penalty'] as const) {
    if (req[name] != null && req[name] !== 0) throw refuse(P, `\`${name}\` is not available`);
  }
  if (req.seed != null) throw refuse(P, '`seed` is not available');
  const rf = req.response_format;
  if (rf != null && !(isObject(rf) && rf.type === 'text')) throw refuse(P, `response_format ${JSON.stringify(isObject(rf) ? rf.type : rf)} is not available (only "text")`);

  const { system: texts, turns } = collectTurns(req.messages, P, { user: userBlocks, assistant: assistantBlocks, tool: toolResultBlock });
  const system = texts.map((text): Block => ({ text }));

  const body: Record<string, unknown> = { messages: turns };
  if (system.length > 0) body.system = system;
  const inference: Record<string, unknown> = {};
  const max = maxTokens(req, P);
  if (max !== undefined) inference.maxTokens = max;
  if (req.temperature != null) inference.temperature = req.temperature;
  if (req.top_p != null) inference.topP = req.top_p;
  const stop = stopSequences(req, P);
  if (stop) inference.stopSequences = stop;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  const tools = toolConfig(req);
  if (tools) body.toolConfig = tools;
  return body;
}
