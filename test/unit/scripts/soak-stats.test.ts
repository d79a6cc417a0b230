// The soak's pure parts: percentiles, per-interval counts, and how each answer is judged.
import { describe, it, expect } from 'vitest';
import { IntervalStats, percentile, percentilesOf } from '../../../scripts/soak/stats.ts';
import { judge, kindOf, lostReason } from '../../../scripts/soak/requests.ts';

describe('soak percentiles', () => {
  it('takes the nearest rank of sorted values', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    // 10 values: p95 is the 10th (ceil(9.5)), p50 the 5th.
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
  });

  it('sorts numerically, not as text, and leaves its input alone', () => {
    const values = [100, 9, 25, 3, 1000, 42];
    expect(percentilesOf(values)).toEqual({ p50: 25, p95: 1000, p99: 1000 });
    expect(values).toEqual([100, 9, 25, 3, 1000, 42]);
  });
});

describe('soak interval counts', () => {
  it('counts outcomes, keeps latencies of ok requests only, and merges intervals', () => {
    const a = new IntervalStats();
    a.add('ok', 10);
    a.add('ok', 20);
    a.add('error', 5, 'chat 502');
    a.add('lost', 30_000, 'stream cut (no [DONE])');
    a.add('lost', 1, 'stream cut (no [DONE])');
    expect([a.requests, a.ok, a.errors, a.lost]).toEqual([5, 2, 1, 2]);
    expect(a.latencies).toEqual([10, 20]);
    expect(a.reasonsText()).toBe('stream cut (no [DONE]) ×2, chat 502 ×1');
    const b = new IntervalStats();
    b.add('ok', 15);
    b.shed = 3;
    const total = new IntervalStats();
    total.merge(a);
    total.merge(b);
    expect([total.requests, total.ok, total.errors, total.lost, total.shed]).toEqual([6, 3, 1, 2, 3]);
    expect(percentilesOf(total.latencies).p50).toBe(15);
  });
});

describe('soak traffic', () => {
  it('mixes 10 chat, 7 streamed chat and 3 /bind calls in every 20', () => {
    const kinds = Array.from({ length: 40 }, (_, i) => kindOf(i));
    expect(kinds.filter((k) => k === 'chat')).toHaveLength(20);
    expect(kinds.filter((k) => k === 'stream')).toHaveLength(14);
    expect(kinds.filter((k) => k === 'bind')).toHaveLength(6);
  });

  it('judges answers: 2xx and whole is ok, non-2xx an error, a cut or broken body lost', () => {
    const sse = 'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n';
    expect(judge('stream', 200, sse)).toEqual({ outcome: 'ok' });
    expect(judge('stream', 200, 'data: {"choices":[]}\n\n')).toEqual({ outcome: 'lost', reason: 'stream cut (no [DONE])' });
    expect(judge('stream', 200, `data: {"choices":[]}\n\nevent: error\ndata: {"error":{"code":"SIL_PROXY_STREAM_CUT"}}\n\n`).outcome).toBe('lost');
    expect(judge('chat', 200, '{"choices":[{"message":{"content":"Hi"}}]}')).toEqual({ outcome: 'ok' });
    expect(judge('chat', 200, '{"choices":[{"mess')).toEqual({ outcome: 'lost', reason: 'chat 2xx body cut or not JSON' });
    expect(judge('bind', 200, '{"object":"list","data":[]}')).toEqual({ outcome: 'ok' });
    expect(judge('bind', 200, '{"object":"list"}').outcome).toBe('lost');
    expect(judge('chat', 502, '{"error":{"code":"SIL_PROXY_UPSTREAM","message":"every attempt failed"}}')).toEqual({ outcome: 'error', reason: 'chat 502 SIL_PROXY_UPSTREAM' });
    expect(judge('bind', 503, '<html>nginx</html>')).toEqual({ outcome: 'error', reason: 'bind 503' });
  });

  it('names why a request got no answer', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(lostReason('chat', refused, 'answer')).toBe('chat no answer (ECONNREFUSED)');
    expect(lostReason('stream', new DOMException('timed out', 'TimeoutError'), 'body')).toBe('stream timed out (body)');
    expect(lostReason('stream', Object.assign(new TypeError('terminated'), { cause: { code: 'UND_ERR_SOCKET' } }), 'body')).toBe('stream body cut (UND_ERR_SOCKET)');
  });
});
