// The caller's answer when the target speaks another protocol: the provider's JSON, stream or
// error translated by the protocol adapter into the OpenAI shape, with the usage it reported.
// Adapted requests ask for no Content-Encoding; a provider that compresses anyway is decoded here.
import { Readable, pipeline } from 'node:stream';
import { bodyChunks, bodyText, type UpstreamBody } from './upstream-body.ts';
import { decodeBody, decoderStages, encodingsOf } from './content-decoding.ts';
import type { OpenAIChatRequest, ProtocolAdapter, TokenUsage } from '../protocols/types.ts';

const MAX_ANSWER = 16 * 1024 * 1024;

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export interface AdaptedAnswer {
  contentType: string;
  body: Readable | string;
  /** The usage the provider reported, once the answer has been passed on. */
  usage: Promise<TokenUsage | undefined>;
}

/** The provider's chunks with their Content-Encoding undone. */
function chunksOf(body: UpstreamBody, headers: Headers): AsyncIterable<Uint8Array> {
  const encodings = encodingsOf(headers['content-encoding']);
  const stages = encodings.length ? decoderStages(encodings) : undefined;
  if (!stages) return bodyChunks(body);
  const source = body.kind === 'bytes' ? Readable.from([body.bytes]) : body.stream.toReadable();
  pipeline([source, ...stages], () => undefined);
  return stages[stages.length - 1];
}

/** The provider's whole text (decoded), at most MAX_ANSWER of it. */
async function textOf(body: UpstreamBody, headers: Headers): Promise<string> {
  const encodings = encodingsOf(headers['content-encoding']);
  if (encodings.length === 0) return bodyText(body, MAX_ANSWER);
  if (body.kind === 'bytes') return ((await decodeBody(body.bytes, encodings)) ?? Buffer.alloc(0)).toString('utf8', 0, MAX_ANSWER);
  let text = '';
  for await (const chunk of chunksOf(body, headers)) if (text.length < MAX_ANSWER) text += Buffer.from(chunk).toString('utf8');
  return text.slice(0, MAX_ANSWER);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function adaptedAnswer(
  adapter: ProtocolAdapter,
  status: number,
  body: UpstreamBody,
  headers: Headers,
  request: OpenAIChatRequest,
  model: string,
): Promise<AdaptedAnswer> {
  if (status >= 400) {
    return { contentType: 'application/json', body: JSON.stringify(adapter.error(status, parse(await textOf(body, headers)))), usage: Promise.resolve(undefined) };
  }
  if (request.stream !== true) {
    const native = parse(await textOf(body, headers));
    return { contentType: 'application/json', body: JSON.stringify(adapter.response(native, model)), usage: Promise.resolve(adapter.usage(native)) };
  }
  const translator = adapter.stream(request, model);
  let finished!: (u: TokenUsage) => void;
  const usage = new Promise<TokenUsage>((r) => (finished = r));
  async function* frames(): AsyncGenerator<string> {
    try {
      try {
        for await (const chunk of chunksOf(body, headers)) yield* translator.push(chunk);
      } catch {
        // The provider cut the stream: end() closes it with an error frame.
      }
      yield* translator.end();
    } finally {
      finished(translator.usage());
    }
  }
  return { contentType: 'text/event-stream', body: Readable.from(frames()), usage };
}
