// The streamed answer between undici's handler and one reader: order, flow control, ends and cuts.
import { describe, it, expect } from 'vitest';
import { AnswerStream, type ChunkSink } from '../../../server/proxy/answer-stream.ts';

function flow() {
  const calls: string[] = [];
  return { calls, control: { pause: () => calls.push('pause'), resume: () => calls.push('resume'), abort: (e: Error) => calls.push(`abort: ${e.message}`) } };
}

function sink(accept = true): ChunkSink & { got: string[] } {
  const got: string[] = [];
  return { got, data: (c) => (got.push(c.toString()), accept), end: () => got.push('END'), error: (e) => got.push(`ERROR ${e.message}`) };
}

describe('answer stream', () => {
  it('keeps chunks that arrive before the reader, in order, and pauses the provider past 64 KiB', () => {
    const f = flow();
    const s = new AnswerStream(f.control);
    s.push(Buffer.from('a'));
    expect(f.calls).toEqual([]);
    s.push(Buffer.alloc(64 * 1024, 'b'));
    expect(f.calls).toEqual(['pause']);
    const k = sink();
    s.pipeTo(k);
    expect(k.got.map((g) => g.slice(0, 1))).toEqual(['a', 'b']);
    expect(f.calls).toEqual(['pause', 'resume']);
    s.push(Buffer.from('c'));
    s.end();
    expect(k.got.slice(2)).toEqual(['c', 'END']);
  });

  it('pauses when the reader cannot take more and resumes when it asks', () => {
    const f = flow();
    const s = new AnswerStream(f.control);
    const k = sink(false);
    s.pipeTo(k);
    s.push(Buffer.from('x'));
    expect(f.calls).toEqual(['pause']);
    s.resume();
    expect(f.calls).toEqual(['pause', 'resume']);
  });

  it('hands over an end or a cut that came before the reader', () => {
    const ended = new AnswerStream(flow().control);
    ended.push(Buffer.from('z'));
    ended.end();
    const k1 = sink();
    ended.pipeTo(k1);
    expect(k1.got).toEqual(['z', 'END']);
    const cut = new AnswerStream(flow().control);
    cut.fail(new Error('gone'));
    const k2 = sink();
    cut.pipeTo(k2);
    expect(k2.got).toEqual(['ERROR gone']);
  });

  it('aborts the provider once when destroyed, and ignores what comes after', () => {
    const f = flow();
    const s = new AnswerStream(f.control);
    const k = sink();
    s.pipeTo(k);
    s.destroy(new Error('caller left'));
    s.destroy();
    s.push(Buffer.from('late'));
    s.end();
    expect(f.calls).toEqual(['abort: caller left']);
    expect(k.got).toEqual([]);
    expect(() => s.pipeTo(sink())).toThrow(/already has a reader/);
  });

  it('gives readers that want one a Node Readable', async () => {
    const s = new AnswerStream(flow().control);
    const r = s.toReadable();
    s.push(Buffer.from('one '));
    s.push(Buffer.from('two'));
    s.end();
    let text = '';
    for await (const c of r) text += (c as Buffer).toString();
    expect(text).toBe('one two');
  });
});
