// OpenAI Chat Completions request → Gemini GenerateContentRequest (POST
// /models/{model}:generateContent; the model is in the path, not the body).
import {
  functionTools, imageUrlOf, isHttpUrl, isObject, maxTokens, parseDataUrl, partsOf, readRequest, refuse, stopSequences,
  textsOf, toolArguments, toolCallsOf, toolChoiceOf, toolResultText,
} from './openai-request.ts';
import type { OpenAIChatRequest, OpenAIMessage } from './types.ts';
import { collectTurns } from './turns.ts';

const P = 'gemini-generate-content';

type Part = Record<string, unknown>;
interface Content { role: 'user' | 'model'; parts: Part[] }

const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', heic: 'image/heic', heif: 'image/heif' };
const AUDIO_TYPES: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mp3', flac: 'audio/flac', aac: 'audio/aac', ogg: 'audio/ogg', aiff: 'audio/aiff' };

function imageTypeOf(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    throw refuse(P, `the image URL ${JSON.stringify(url.slice(0, 100))} is not a valid URL`);
  }
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext ? IMAGE_TYPES[ext] : undefined;
}

function userParts(m: OpenAIMessage, i: number): Part[] {
  return partsOf(m, i, P).flatMap((p, j): Part[] => {
    const where = `messages[${i}].content[${j}]`;
    switch (p.type) {
      case 'text':
        return p.text === '' ? [] : [{ text: p.text }];
      case 'image_url': {
        const url = imageUrlOf(p, where, P);
        const data = parseDataUrl(url);
        if (data) return [{ inlineData: { mimeType: data.mediaType, data: data.data } }];
        if (!isHttpUrl(url)) throw refuse(P, `${where}: an image URL must be https://, http:// or a base64 data: URL`);
        const mimeType = imageTypeOf(url);
        return [{ fileData: { ...(mimeType ? { mimeType } : {}), fileUri: url } }];
      }
      case 'input_audio': {
        const audio: unknown = p.input_audio;
        const data = isObject(audio) ? audio.data : undefined;
        const mimeType = isObject(audio) ? AUDIO_TYPES[String(audio.format)] : undefined;
        if (typeof data !== 'string' || !mimeType) throw refuse(P, `${where}: input_audio needs base64 \`data\` and a known \`format\``);
        return [{ inlineData: { mimeType, data } }];
      }
      case 'file': {
        const data = typeof p.file?.file_data === 'string' ? parseDataUrl(p.file.file_data) : null;
        if (data) return [{ inlineData: { mimeType: data.mediaType, data: data.data } }];
        throw refuse(P, `${where}: only files given inline as a base64 data: URL (file.file_data) can be sent`);
      }
      default:
        throw refuse(P, `${where}: "${p.type}" content is not supported`);
    }
  });
}

function modelParts(m: OpenAIMessage, i: number, callNames: Map<string, string>): Part[] {
  const parts: Part[] = textsOf(m, i, P).map((text) => ({ text }));
  for (const call of toolCallsOf(m, i, P)) {
    callNames.set(call.id, call.function.name);
    const part: Part = { functionCall: { name: call.function.name, args: toolArguments(call, P) } };
    const signature = call.extra_content?.google?.thought_signature;
    if (typeof signature === 'string' && signature !== '') part.thoughtSignature = signature;
    parts.push(part);
  }
  return parts;
}

/** functionResponse.response must be a JSON object: an object result as it is, else `{ output }`. */
function functionResponse(m: OpenAIMessage, i: number, callNames: Map<string, string>): Part {
  const text = toolResultText(m, i, P);
  const name = callNames.get(m.tool_call_id!);
  if (name === undefined) throw refuse(P, `messages[${i}] answers tool call "${m.tool_call_id}", which no earlier assistant message made (Gemini needs the function's name)`);
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // plain text result
  }
  return { functionResponse: { name, response: isObject(value) ? value : { output: value } } };
}

function toolConfig(req: OpenAIChatRequest): Record<string, unknown> | undefined {
  const choice = toolChoiceOf(req, P);
  if (choice === undefined) return undefined;
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
}

function responseFormat(req: OpenAIChatRequest): Record<string, unknown> {
  const rf = req.response_format;
  if (rf == null) return {};
  if (!isObject(rf)) throw refuse(P, '`response_format` must be an object');
  if (rf.type === 'text') return {};
  if (rf.type === 'json_object') return { responseMimeType: 'application/json' };
  if (rf.type === 'json_schema' && isObject(rf.json_schema)) {
    const schema = rf.json_schema.schema;
    return { responseMimeType: 'application/json', ...(isObject(schema) ? { responseJsonSchema: schema } : {}) };
  }
  throw refuse(P, `response_format ${JSON.stringify(rf.type)} is not understood`);
}

export function geminiRequest(input: OpenAIChatRequest, _model: string): Record<string, unknown> {
  const req = readRequest(input, P);
  const callNames = new Map<string, string>();
  const { system: texts, turns } = collectTurns(req.messages, P, {
    user: userParts,
    assistant: (m, i) => modelParts(m, i, callNames),
    tool: (m, i) => functionResponse(m, i, callNames),
  });
  const system = texts.map((text): Part => ({ text }));
  const contents: Content[] = turns.map((t) => ({ role: t.role === 'assistant' ? 'model' : 'user', parts: t.content }));

  const body: Record<string, unknown> = { contents };
  if (system.length > 0) body.systemInstruction = { parts: system };
  const tools = functionTools(req, P);
  if (tools.length > 0) {
    body.tools = [{
      functionDeclarations: tools.map((t) => ({
        name: t.function.name,
        ...(t.function.description ? { description: t.function.description } : {}),
        ...(t.function.parameters ? { parametersJsonSchema: t.function.parameters } : {}),
      })),
    }];
    const config = toolConfig(req);
    if (config) body.toolConfig = config;
  }
  const generationConfig: Record<string, unknown> = {};
  if (req.temperature != null) generationConfig.temperature = req.temperature;
  if (req.top_p != null) generationConfig.topP = req.top_p;
  const max = maxTokens(req, P);
  if (max !== undefined) generationConfig.maxOutputTokens = max;
  const stop = stopSequences(req, P);
  if (stop) generationConfig.stopSequences = stop;
  if (req.presence_penalty != null && req.presence_penalty !== 0) generationConfig.presencePenalty = req.presence_penalty;
  if (req.frequency_penalty != null && req.frequency_penalty !== 0) generationConfig.frequencyPenalty = req.frequency_penalty;
  if (req.seed != null) generationConfig.seed = req.seed;
  Object.assign(generationConfig, responseFormat(req));
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return body;
}
