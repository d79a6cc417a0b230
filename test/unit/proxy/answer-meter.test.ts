// Reading usage from answers as they pass: JSON (whole or streamed), SSE, compressed or not.
import { describe, it, expect } from 'vitest';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { answerMeter, wholeAnswerUsage } from '../../../server/proxy/answer-meter.ts';
import type { Usage } from '../../../schemas/types.gen.ts';

const SPEC: Usage = { inputTokens: 'body:usage.prompt_tokens', outputTokens: 'body:usage.completion_tokens' };
const HEADERS_ONLY: Usage = { inputTokens: 'header:x-input-tokens' };
const usage = { prompt_tokens: 9, completion_tokens: 5 };
const json = Buffer.from(JSON.stringify({ id: 'c', choices: [{ message: { content: 'x'.repeat(30_000) } }], usage }));
const chunk = (delta: string, u: unknown = null) => `data: ${JSON.stringify({ choices: [{ delta: { content: delta } }], usage: u })}\n\n`;
const sse = [chunk('Hel'), chunk('lo'), `data: ${JSON.stringify({ choices: [], usage })}\n\n`, 'data: [DONE]\n\n'].join('');

/** Feeds `bytes` to a meter in pieces of `size` bytes. */
async function meter(spec: Usage, headers: Record<string, string>, bytes: Buffer, size = 7): Promise<unknown> {
  const m = answerMeter(spec, headers);
  if (!m) return 'no meter';
  for (let i = 0; i < bytes.length; i += size) m.tap(bytes.subarray(i, i + size));
  return m.finish();
}

describe('answer meter', () => {
  it('reads a streamed JSON answer, plain or compressed', async () => {
    expect(await meter(SPEC, { 'content-type': 'application/json' }, json, 1000)).toEqual({ usage });
    expect(await meter(SPEC, { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' }, gzipSync(json), 100)).toEqual({ usage });
    expect(await meter(SPEC, { 'content-type': 'application/json', 'content-encoding': 'br' }, brotliCompressSync(json), 100)).toEqual({ usage });
  });

  it('takes the last SSE event whose usage is an object, across chunk boundaries and CRLF', async () => {
    const got = (await meter(SPEC, { 'content-type': 'text/event-stream' }, Buffer.from(sse))) as { usage: unknown };
    expect(got.usage).toEqual(usage);
    const crlf = Buffer.from(sse.replace(/\n/g, '\r\n'));
    expect(((await meter(SPEC, { 'content-type': 'text/event-stream' }, crlf, 3)) as { usage: unknown }).usage).toEqual(usage);
    expect(((await meter(SPEC, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' }, gzipSync(sse), 5)) as { usage: unknown }).usage).toEqual(usage);
    // A last event without the blank line after it still counts.
    const unterminated = Buffer.from(`${chunk('a')}data: ${JSON.stringify({ usage })}`);
    expect(((await meter(SPEC, { 'content-type': 'text/event-stream' }, unterminated)) as { usage: unknown }).usage).toEqual(usage);
    expect(await meter(SPEC, { 'content-type': 'text/event-stream' }, Buffer.from(chunk('a') + chunk('b')))).toBeUndefined();
  });

  it('reads SSE chunks that hold whole events (the usual case) without missing usage at a chunk edge', async () => {
    const first = `data: ${JSON.stringify({ usage: { prompt_tokens: 1, completion_tokens: 1 } })}\n\n`;
    const last = `data: ${JSON.stringify({ choices: [], usage })}\n\n`;
    const m = answerMeter(SPEC, { 'content-type': 'text/event-stream' })!;
    m.tap(Buffer.from(chunk('a') + chunk('b')));
    m.tap(Buffer.from(first + chunk('c') + last.slice(0, 30))); // the last usage event begins here…
    m.tap(Buffer.from(last.slice(30) + 'data: [DONE]\n\n')); // …and ends here
    expect(((await m.finish()) as { usage: unknown }).usage).toEqual(usage);
    const nulls = answerMeter(SPEC, { 'content-type': 'text/event-stream' })!;
    nulls.tap(Buffer.from(chunk('x') + first + chunk('y')));
    expect(((await nulls.finish()) as { usage: unknown }).usage).toEqual({ prompt_tokens: 1, completion_tokens: 1 });
  });

  it('keeps nothing when the template reads headers only or the answer is neither JSON nor SSE', async () => {
    expect(await meter(HEADERS_ONLY, { 'content-type': 'application/json' }, json)).toBe('no meter');
    expect(await meter(SPEC, { 'content-type': 'application/octet-stream' }, json)).toBe('no meter');
    expect(await meter(SPEC, { 'content-type': 'application/x-ndjson' }, json)).toBe('no meter');
    expect(await meter(SPEC, { 'content-type': 'application/json', 'content-encoding': 'compress' }, json)).toBe('no meter');
  });

  it('answers undefined for a cut or corrupt answer', async () => {
    expect(await meter(SPEC, { 'content-type': 'application/json' }, json.subarray(0, 20_000))).toBeUndefined();
    expect(await meter(SPEC, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, Buffer.from('not gzip at all'))).toBeUndefined();
  });

  it('reads whole answers: at once when small, later when a large one must be decoded', async () => {
    expect(wholeAnswerUsage(SPEC, { 'content-type': 'application/json' }, json)).toEqual({ usage });
    expect(await wholeAnswerUsage(SPEC, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(json))).toEqual({ usage });
    expect(wholeAnswerUsage(SPEC, { 'content-type': 'application/json', 'content-encoding': 'br' }, brotliCompressSync(json))).toEqual({ usage });
    expect(wholeAnswerUsage(HEADERS_ONLY, { 'content-type': 'application/json' }, json)).toBeUndefined();
    expect(wholeAnswerUsage(SPEC, { 'content-type': 'text/plain' }, json)).toBeUndefined();
    const { randomBytes } = await import('node:crypto');
    const large = Buffer.from(JSON.stringify({ pad: randomBytes(120_000).toString('base64'), usage }));
    const pending = wholeAnswerUsage(SPEC, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(large));
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual({ usage });
  });

  it('reads usage kept in a list member (metrics[metric=...]), whole, large or streamed', async () => {
    const spec: Usage = { inputTokens: 'body:metrics[metric=num_prompt_tokens].value', outputTokens: 'body:metrics[metric=num_completion_tokens].value' };
    const metrics = [{ metric: 'num_completion_tokens', value: 5, unit: 'tokens' }, { metric: 'num_prompt_tokens', value: 9, unit: 'tokens' }];
    const large = Buffer.from(JSON.stringify({ completion_message: { content: { text: 'x'.repeat(30_000) } }, metrics }));
    expect(wholeAnswerUsage(spec, { 'content-type': 'application/json' }, large)).toEqual({ metrics });
    const events = `data: ${JSON.stringify({ event: { delta: 'x' }, metrics: null })}\n\ndata: ${JSON.stringify({ metrics })}\n\n`;
    expect(await meter(spec, { 'content-type': 'text/event-stream' }, Buffer.from(events))).toEqual({ metrics });
  });
});
