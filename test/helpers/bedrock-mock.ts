// A Bedrock Runtime mock on 127.0.0.1: checks the SigV4 signature (sigv4-verify.ts, service
// bedrock) and the Converse path, and answers Converse JSON or ConverseStream event streams
// (application/vnd.amazon.eventstream frames, encoded with their CRCs).
import { encodeEventStreamMessage } from '../../server/protocols/event-stream.ts';
import { startMockUpstream, type MockReply, type MockUpstream, type Received } from './mock-upstream.ts';
import { verifySigV4, type AwsCredentials, type SigV4Result } from './sigv4-verify.ts';

export { encodeEventStreamMessage };

/** One ConverseStream event (`messageStart`, `contentBlockDelta`, ...) as an event-stream frame. */
export function converseEvent(type: string, payload: Record<string, unknown>): Buffer {
  // Bedrock pads event payloads with a `p` member of random length.
  return Buffer.from(encodeEventStreamMessage({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }, JSON.stringify({ ...payload, p: 'abcdefgh' })));
}

/** A ConverseStream exception frame (`throttlingException`, `modelStreamErrorException`, ...). */
export function converseException(type: string, message: string): Buffer {
  return Buffer.from(encodeEventStreamMessage({ ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' }, JSON.stringify({ message })));
}

/** A plain text answer streamed: messageStart, one text block in `pieces`, messageStop, metadata. */
export function converseTextStream(pieces: string[], stopReason: string, usage: { inputTokens: number; outputTokens: number }): Buffer[] {
  return [
    converseEvent('messageStart', { role: 'assistant' }),
    ...pieces.map((text) => converseEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text } })),
    converseEvent('contentBlockStop', { contentBlockIndex: 0 }),
    converseEvent('messageStop', { stopReason }),
    converseEvent('metadata', { usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens }, metrics: { latencyMs: 12 } }),
  ];
}

export interface BedrockMock extends MockUpstream {
  /** The signature check of each request, in order. */
  checks: SigV4Result[];
}

/**
 * Answers 403 (as AWS does) when the signature does not verify, 404 for a path other than
 * /model/{id}/converse(-stream), else what `answer` gives for the decoded model id.
 */
export async function startBedrockMock(creds: AwsCredentials, region: string, answer: (req: Received, model: string, stream: boolean) => MockReply): Promise<BedrockMock> {
  const checks: SigV4Result[] = [];
  const mock = await startMockUpstream((r) => {
    const check = verifySigV4({ method: r.method, target: r.url, headers: r.headers, body: Buffer.from(r.body, 'utf8') }, creds, { region, service: 'bedrock', now: new Date() });
    checks.push(check);
    if (!check.ok) return { status: 403, headers: { 'x-amzn-errortype': `${check.code}:http://internal.amazon.com/coral/com.amazon.coral.service/` }, body: { message: check.reason } };
    const m = /^\/model\/([^/?]+)\/(converse|converse-stream)$/.exec(r.url);
    if (!m || r.method !== 'POST') return { status: 404, headers: { 'x-amzn-errortype': 'UnknownOperationException' }, body: { message: `no operation at ${r.method} ${r.url}` } };
    return answer(r, decodeURIComponent(m[1]!), m[2] === 'converse-stream');
  });
  return Object.assign(mock, { checks });
}
