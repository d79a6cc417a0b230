// OpenAI Chat Completions request → Cohere v2 Chat request (POST /v2/chat).
import {
  functionTools, imageUrlOf, isHttpUrl, isObject, maxTokens, parseDataUrl, partsOf, readRequest, refuse, stopSequences,
  textsOf, toolArguments, toolCallsOf, toolChoiceOf, toolResultText,
} from './openai-request.ts';
import type { OpenAIChatRequest, OpenAIMessage } from './types.ts';

const P = 'cohere-chat';

type Obj = Record<string, unknown>;

function userContent(m: OpenAIMessage, i: number): string | Obj[] {
  const parts = partsOf(m, i, P).flatMap((p, j): Obj[] => {
    const where = `messages[${i}].content[${j}]`;
    switch (p.type) {
      case 'text':
        return p.text === '' ? [] : [{ type: 'text', text: p.text }];
      case 'image_url': {
        const url = imageUrlOf(p, where, P);
        if (!parseDataUrl(url) && !isHttpUrl(url)) throw refuse(P, `${where}: an image URL must be https://, http:// or a base64 data: URL`);
        const detail = isObject(p.image_url) ? p.image_url.detail : undefined;
        return [{ type: 'image_url', image_url: { url, ...(typeof detail === 'string' ? { detail } : {}) } }];
      }
      default:
        throw refuse(P, `${where}: "${p.type}" content is not supported`);
    }
  });
  if (parts.length === 0) throw refuse(P, `messages[${i}]: a user message needs content`);
  // Text only: one string, the simplest form Cohere takes.
  return parts.every((p) => p.type === 'text') ? parts.map((p) => p.text as string).join('\n') : parts;
}

function assistantMessage(m: OpenAIMessage, i: number): Obj | null {
  const text = textsOf(m, i, P).join('');
  const calls = toolCallsOf(m, i, P).map((call) => ({
    id: call.id,
    type: 'function',
    // Cohere takes the arguments as a JSON text, as OpenAI does; checked so Cohere gets valid JSON.
    function: { name: call.function.name, arguments: JSON.stringify(toolArguments(call, P)) },
  }));
  if (calls.length === 0) return text === '' ? null : { role: 'assistant', content: text };
  // Cohere's assistant turn that calls tools carries its text as the tool plan.
  return { role: 'assistant', ...(text !== '' ? { tool_plan: text } : {}), tool_calls: calls };
}

function responseFormat(req: OpenAIChatRequest): Obj | undefined {
  const rf = req.response_format;
  if (rf == null) return undefined;
  if (!isObject(rf)) throw refuse(P, '`response_format` must be an object');
  if (rf.type === 'text') return undefined;
  if (rf.type === 'json_object') return { type: 'json_object' };
  if (rf.type === 'json_schema') {
    const js = isObject(rf.json_schema) ? rf.json_schema : undefined;
    if (!js || !isObject(js.schema)) throw refuse(P, 'response_format "json_schema" needs `json_schema.schema`');
    return { type: 'json_object', json_schema: js.schema };
  }
  throw refuse(P, `response_format ${JSON.stringify((rf as { type?: unknown }).type)} is not available`);
}

export function cohereRequest(input: OpenAIChatRequest, model: string): Obj {
  const req = readRequest(input, P);
  const messages: Obj[] = [];
  req.messages.forEach((m, i) => {
    switch (m.role) {
      case 'system':
      case 'developer': {
        const text = textsOf(m, i, P).join('\n\n');
        if (text !== '') messages.push({ role: 'system', content: text });
        break;
      }
      case 'user':
        messages.push({ role: 'user', content: userContent(m, i) });
        break;
      case 'assistant': {
        const msg = assistantMessage(m, i);
        if (msg) messages.push(msg);
        break;
      }
      case 'tool':
        messages.push({ role: 'tool', tool_call_id: m.tool_call_id, content: toolResultText(m, i, P) });
        break;
    }
  });
  if (!messages.some((m) => m.role === 'user' || m.role === 'assistant')) throw refuse(P, 'the request has no user or assistant message');

  const body: Obj = { model, messages };
  if (req.stream === true) body.stream = true;
  const max = maxTokens(req, P);
  if (max !== undefined) body.max_tokens = max;
  if (req.temperature != null) body.temperature = req.temperature;
  // Cohere's p is 0.01 to 0.99; OpenAI's top_p 1 (no cut) is Cohere's default.
  if (req.top_p != null && req.top_p < 1) body.p = req.top_p;
  // top_k: not OpenAI, but a common extension of OpenAI-compatible gateways.
  if (req.top_k != null) {
    if (typeof req.top_k !== 'number' || !Number.isInteger(req.top_k) || req.top_k < 0) throw refuse(P, '`top_k` must be a non-negative integer');
    if (req.top_k > 0) body.k = req.top_k;
  }
  if (req.presence_penalty != null && req.presence_penalty !== 0) body.presence_penalty = req.presence_penalty;
  if (req.frequency_penalty != null && req.frequency_penalty !== 0) body.frequency_penalty = req.frequency_penalty;
  if (req.seed != null) {
    if (!Number.isInteger(req.seed)) throw refuse(P, '`seed` must be an integer');
    body.seed = req.seed;
  }
  const stop = stopSequences(req, P);
  if (stop) body.stop_sequences = stop;
  const rf = responseFormat(req);
  if (rf) body.response_format = rf;

  let tools = functionTools(req, P);
  const choice = toolChoiceOf(req, P);
  if (tools.length > 0) {
    if (isObject(choice)) {
      // Cohere cannot name the tool to call: offer only that tool, and require a call.
      tools = tools.filter((t) => t.function.name === choice.name);
      if (tools.length === 0) throw refuse(P, `tool_choice names "${choice.name}", which is not among \`tools\``);
      body.tool_choice = 'REQUIRED';
    } else if (choice === 'required') body.tool_choice = 'REQUIRED';
    else if (choice === 'none') body.tool_choice = 'NONE';
    body.tools = tools.map((t) => ({
      type: 'function',
      function: {
        name: t.function.name,
        ...(t.function.description ? { description: t.function.description } : {}),
        parameters: t.function.parameters ?? { type: 'object', properties: {} },
      },
    }));
    if (tools.some((t) => t.function.strict === true)) body.strict_tools = true;
  } else if (isObject(choice) || choice === 'required') {
    throw refuse(P, `tool_choice ${JSON.stringify(req.tool_choice)} needs \`tools\``);
  }
  return body;
}
