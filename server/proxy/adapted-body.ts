// The caller's answer when the target speaks another protocol: the provider's JSON, stream or
// error translated by the protocol adapter into the OpenAI shape, with the usage it reported.
import { Readable } from 'node:stream';
import { bodyChunks, bodyText, type UpstreamBody } from './upstream-body.ts';
import type { OpenAIChatRequest, ProtocolAdapter, TokenUsage } from '../protocols/types.ts';

const MAX_ANSWER = 16 * 1024 * 1024;

export interface AdaptedAnswer {
  contentType: string;
  body: Readable | string;
  /** The usage the provider reported, once the answer has been passed on. */
  usage: Promise<TokenUsage | undefined>;
}

const readAll = (body: UpstreamBody): Promise<string> => bodyText(body, MAX_ANSWER);

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
  request: OpenAIChatRequest,
  model: string,
): Promise<AdaptedAnswer> {
  if (status >= 400) {
    return { contentType: 'application/json', body: JSON.stringify(adapter.error(status, parse(await readAll(body)))), usage: Promise.resolve(undefined) };
  }
  if (request.stream !== true) {
    const native = parse(await readAll(body));
    return { contentType: 'application/json', body: JSON.stringify(adapter.response(native, model)), usage: Promise.resolve(adapter.usage(native)) };
  }
  const translator = adapter.stream(request, model);
  let finished!: (u: TokenUsage) => void;
  const usage = new Promise<TokenUsage>((r) => (finished = r));
  async function* frames(): AsyncGenerator<string> {
    try {
      try {
        for await (const chunk of bodyChunks(body)) yield* translator.push(chunk);
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
