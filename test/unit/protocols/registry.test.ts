import { describe, it, expect } from 'vitest';
import { adapterFor, ADAPTER_PROTOCOLS } from '../../../server/protocols/registry.ts';
import { ADAPTED_PROTOCOLS } from '../../../server/protocols/compatibility.ts';
import { SseDecoder } from '../../../server/protocols/sse.ts';

describe('protocol adapters registry', () => {
  it('adapts anthropic-messages and gemini-generate-content, and nothing for openai-chat itself', () => {
    expect(adapterFor('anthropic-messages')?.protocol).toBe('anthropic-messages');
    expect(adapterFor('gemini-generate-content')?.protocol).toBe('gemini-generate-content');
    expect(adapterFor('openai-chat')).toBeNull();
    expect(adapterFor('cohere-chat')?.protocol).toBe('cohere-chat');
  });

  it('only has adapters for protocols the compatibility table lists', () => {
    for (const p of ADAPTER_PROTOCOLS) expect(ADAPTED_PROTOCOLS['openai-chat']).toContain(p);
  });
});

describe('SSE decoder', () => {
  it('joins data lines, skips comments and other fields, and delivers a last event without a blank line', () => {
    const d = new SseDecoder();
    expect(d.push('\uFEFF: keep-alive\nid: 1\nretry: 10\nevent: a\ndata: one\ndata:two\n\n')).toEqual([{ event: 'a', data: 'one\ntwo' }]);
    expect(d.push('data: {"x":1}')).toEqual([]);
    expect(d.end()).toEqual([{ event: 'message', data: '{"x":1}' }]);
  });

  it('keeps a multi-byte character split across byte chunks', () => {
    const d = new SseDecoder();
    const bytes = new TextEncoder().encode('data: 🐔\r\n\r\n');
    const out = [...d.push(bytes.subarray(0, 8)), ...d.push(bytes.subarray(8))];
    expect(out).toEqual([{ event: 'message', data: '🐔' }]);
  });

  it('waits for the next chunk after a CR, which may be half of a CRLF', () => {
    const d = new SseDecoder();
    const out = [...d.push('event: content_block_delta\r'), ...d.push('\ndata: {}\r'), ...d.push('\n\r'), ...d.push('\n')];
    expect(out).toEqual([{ event: 'content_block_delta', data: '{}' }]);
  });
});
