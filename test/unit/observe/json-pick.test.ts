// Picking top-level members of a JSON answer without parsing the rest.
import { describe, it, expect } from 'vitest';
import { pickMembers } from '../../../server/observe/json-pick.ts';

const USAGE = { prompt_tokens: 9, completion_tokens: 5 };
const big = (content: string, extra: Record<string, unknown> = {}) => Buffer.from(JSON.stringify({ id: 'x', choices: [{ index: 0, message: { role: 'assistant', content } }], ...extra, usage: USAGE, tail: [1, { a: '}' }] }));
const keys = new Set(['usage']);

describe('pickMembers', () => {
  it('parses a small body whole', () => {
    expect(pickMembers(Buffer.from('{"a":1,"usage":{"prompt_tokens":2}}'), keys)).toEqual({ a: 1, usage: { prompt_tokens: 2 } });
  });

  it('reads only the wanted member of a large answer', () => {
    const out = pickMembers(big('x'.repeat(1 << 20)), keys);
    expect(out).toEqual({ usage: USAGE });
  });

  it('skips strings with escaped quotes, backslashes, braces and multi-byte text', () => {
    const content = `${'y'.repeat(20_000)} \\" } ] { [ "quoted" \\\\ مرحبا 🔌`;
    expect(pickMembers(big(content, { 'we"ird': { n: 'a\\"b' } }), keys)).toEqual({ usage: USAGE });
    expect(pickMembers(big(content, { 'we"ird': { n: 1 } }), new Set(['we"ird', 'usage']))).toEqual({ 'we"ird': { n: 1 }, usage: USAGE });
  });

  it('takes whitespace between tokens', () => {
    const body = Buffer.from(`{\n  "pad": "${'z'.repeat(20_000)}" ,\n  "usage" :\t{ "prompt_tokens" : 3 } ,\n "n": -1.5e3, "t": true, "f": null\n}`);
    expect(pickMembers(body, keys)).toEqual({ usage: { prompt_tokens: 3 } });
  });

  it('answers undefined for what is not a JSON object', () => {
    expect(pickMembers(Buffer.from('[1,2]'), keys)).toBeUndefined();
    expect(pickMembers(Buffer.from('not json'), keys)).toBeUndefined();
    expect(pickMembers(Buffer.from(`[${'1,'.repeat(10_000)}1]`), keys)).toBeUndefined();
    const cut = big('x'.repeat(20_000));
    expect(pickMembers(cut.subarray(0, cut.length - 40), keys)).toBeUndefined();
    expect(pickMembers(Buffer.from(`{"pad":"${'q'.repeat(20_000)}"`), keys)).toBeUndefined();
  });

  it('finds nothing when the member is missing', () => {
    expect(pickMembers(Buffer.from(`{"pad":"${'q'.repeat(20_000)}","other":{"usage":{"x":1}}}`), keys)).toEqual({});
  });
});
