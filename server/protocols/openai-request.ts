// Reading an OpenAI Chat Completions request for translation: shape checks, the refusals every
// adapter shares, and small helpers for content parts, data: URLs and tool calls. A request
// that cannot be translated faithfully is refused (SIL_PROXY_BAD_REQUEST) rather than bent.
import { SilError } from '../errors.ts';
import type { OpenAIChatRequest, OpenAIContentPart, OpenAIMessage, OpenAITool, OpenAIToolCall } from './types.ts';

export function refuse(protocol: string, what: string): SilError {
  return new SilError('SIL_PROXY_BAD_REQUEST', `cannot translate the request for a ${protocol} service: ${what}`);
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/** Checks the request's shape and refuses what no adapter translates. */
export function readRequest(input: unknown, protocol: string): OpenAIChatRequest {
  if (!isObject(input)) throw refuse(protocol, 'the body is not a JSON object');
  const req = input as OpenAIChatRequest;
  if (!Array.isArray(req.messages) || req.messages.length === 0) throw refuse(protocol, '`messages` must be a non-empty array');
  req.messages.forEach((m, i) => {
    if (!isObject(m)) throw refuse(protocol, `messages[${i}] is not an object`);
    if (m.role === ('function' as string)) throw refuse(protocol, `messages[${i}]: the legacy "function" role is not supported; use tools and "tool" messages`);
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) throw refuse(protocol, `messages[${i}]: unknown role ${JSON.stringify(m.role)}`);
  });
  if (req.n != null && req.n !== 1) throw refuse(protocol, `n = ${JSON.stringify(req.n)}: only one choice can be asked for`);
  if (req.logprobs === true || req.top_logprobs != null) throw refuse(protocol, 'logprobs / top_logprobs are not available');
  if (req.functions !== undefined || req.function_call !== undefined) throw refuse(protocol, 'the legacy `functions` / `function_call` fields are not supported; use `tools` / `tool_choice`');
  if (req.audio != null || (Array.isArray(req.modalities) && req.modalities.some((m) => m !== 'text'))) throw refuse(protocol, 'only text output can be asked for (`audio`, `modalities`)');
  for (const name of ['temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'presence_penalty', 'frequency_penalty', 'seed'] as const) {
    const v = req[name];
    if (v != null && (typeof v !== 'number' || !Number.isFinite(v))) throw refuse(protocol, `\`${name}\` must be a number`);
  }
  if (req.tools != null && !Array.isArray(req.tools)) throw refuse(protocol, '`tools` must be an array');
  return req;
}

/** max_completion_tokens, else max_tokens (the older name), if given. */
export function maxTokens(req: OpenAIChatRequest, protocol: string): number | undefined {
  const v = req.max_completion_tokens ?? req.max_tokens ?? undefined;
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw refuse(protocol, '`max_completion_tokens` / `max_tokens` must be a positive integer');
  return v;
}

export function stopSequences(req: OpenAIChatRequest, protocol: string): string[] | undefined {
  if (req.stop == null) return undefined;
  const list = typeof req.stop === 'string' ? [req.stop] : req.stop;
  if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) throw refuse(protocol, '`stop` must be a string or an array of strings');
  return list.length > 0 ? list : undefined;
}

/** A message's content as parts: a string is one text part; null or absent is none. */
export function partsOf(m: OpenAIMessage, i: number, protocol: string): OpenAIContentPart[] {
  const c = m.content;
  if (c == null) return [];
  if (typeof c === 'string') return c === '' ? [] : [{ type: 'text', text: c }];
  if (!Array.isArray(c)) throw refuse(protocol, `messages[${i}].content must be a string or an array of content parts`);
  return c.map((p, j) => {
    if (!isObject(p) || typeof p.type !== 'string') throw refuse(protocol, `messages[${i}].content[${j}] is not a content part`);
    if (p.type === 'text' && typeof p.text !== 'string') throw refuse(protocol, `messages[${i}].content[${j}]: a text part needs \`text\``);
    return p;
  });
}

/** The texts of a message whose content may only be text (system, developer, tool; refusals count as text). */
export function textsOf(m: OpenAIMessage, i: number, protocol: string): string[] {
  return partsOf(m, i, protocol).map((p, j) => {
    if (p.type === 'text') return p.text;
    if (p.type === 'refusal' && typeof p.refusal === 'string') return p.refusal;
    throw refuse(protocol, `messages[${i}].content[${j}]: a ${m.role} message can only hold text, not "${p.type}"`);
  }).filter((t) => t !== '');
}

/** `data:<media type>[;params];base64,<data>`; null for any other URL. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | null {
  const m = /^data:([^;,]*)((?:;[^;,]*)*);base64,/i.exec(url);
  if (!m) return null;
  return { mediaType: (m[1] || 'application/octet-stream').toLowerCase(), data: url.slice(m[0].length) };
}

export const isHttpUrl = (url: string): boolean => /^https?:\/\//i.test(url);

/** The image URL of an image_url part, checked. */
export function imageUrlOf(p: OpenAIContentPart, where: string, protocol: string): string {
  const url = p.type === 'image_url' && isObject(p.image_url) ? p.image_url.url : undefined;
  if (typeof url !== 'string' || url === '') throw refuse(protocol, `${where}: an image_url part needs \`image_url.url\``);
  return url;
}

/** An assistant message's tool calls, checked. */
export function toolCallsOf(m: OpenAIMessage, i: number, protocol: string): OpenAIToolCall[] {
  if (m.tool_calls == null) return [];
  if (!Array.isArray(m.tool_calls)) throw refuse(protocol, `messages[${i}].tool_calls must be an array`);
  return m.tool_calls.map((c, j) => {
    if (!isObject(c) || c.type !== 'function' || !isObject(c.function) || typeof c.function.name !== 'string') {
      throw refuse(protocol, `messages[${i}].tool_calls[${j}] is not a function call`);
    }
    if (typeof c.id !== 'string' || c.id === '') throw refuse(protocol, `messages[${i}].tool_calls[${j}] has no \`id\``);
    return c;
  });
}

/** A tool call's arguments (a JSON text) as the object the native protocols want. */
export function toolArguments(call: OpenAIToolCall, protocol: string): Record<string, unknown> {
  const text = call.function.arguments;
  if (text == null || text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw refuse(protocol, `the arguments of tool call "${call.id}" are not valid JSON`);
  }
  if (!isObject(value)) throw refuse(protocol, `the arguments of tool call "${call.id}" are not a JSON object`);
  return value;
}

/** The function tools, checked; other tool types are refused. */
export function functionTools(req: OpenAIChatRequest, protocol: string): OpenAITool[] {
  return (req.tools ?? []).map((t, i) => {
    if (!isObject(t) || t.type !== 'function') throw refuse(protocol, `tools[${i}]: only function tools can be translated`);
    if (!isObject(t.function) || typeof t.function.name !== 'string' || t.function.name === '') throw refuse(protocol, `tools[${i}] has no function name`);
    if (t.function.parameters != null && !isObject(t.function.parameters)) throw refuse(protocol, `tools[${i}].function.parameters must be a JSON Schema object`);
    return t;
  });
}

/** The tool choice, checked: 'none' | 'auto' | 'required' | a function name. */
export function toolChoiceOf(req: OpenAIChatRequest, protocol: string): 'none' | 'auto' | 'required' | { name: string } | undefined {
  const c = req.tool_choice;
  if (c == null) return undefined;
  if (c === 'none' || c === 'auto' || c === 'required') return c;
  if (isObject(c) && c.type === 'function' && isObject(c.function) && typeof c.function.name === 'string') return { name: c.function.name };
  throw refuse(protocol, `tool_choice ${JSON.stringify(c)} is not understood`);
}

/** The tool content of a `tool` message: its text, joined. */
export function toolResultText(m: OpenAIMessage, i: number, protocol: string): string {
  if (typeof m.tool_call_id !== 'string' || m.tool_call_id === '') throw refuse(protocol, `messages[${i}]: a tool message needs \`tool_call_id\``);
  return textsOf(m, i, protocol).join('\n');
}
