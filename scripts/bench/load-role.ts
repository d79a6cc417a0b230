// The bench's load generator, its own process: one autocannon run at a time on request (IPC).
// Latency percentiles come from every response time autocannon reports (fractions of a
// millisecond), not from its whole-millisecond histogram.
import { createRequire } from 'node:module';
import type { LoadRequest, RunResult } from './messages.ts';

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  requests: { total: number };
}
interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const run = (m: LoadRequest) =>
  new Promise<RunResult>((ok, fail) => {
    const times = new Float64Array(m.maxRequests + m.connections);
    let n = 0;
    let bytes = 0;
    const inst = autocannon(
      { url: m.url, method: 'POST', headers: m.headers, body: m.body, connections: m.connections, pipelining: 1, duration: m.duration, maxOverallRequests: m.maxRequests, timeout: 10 },
      (err, r) => {
        if (err) return fail(err);
        const sorted = times.subarray(0, n).sort();
        const statusCodes: Record<string, number> = {};
        for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = s.count;
        ok({
          requests: r.requests.total,
          seconds: r.duration,
          rps: r.requests.total / r.duration,
          p50: percentile(sorted, 50),
          p90: percentile(sorted, 90),
          p99: percentile(sorted, 99),
          max: n ? sorted[n - 1] : NaN,
          bytesPerAnswer: n ? bytes / n : NaN,
          statusCodes,
          errors: r.errors,
          timeouts: r.timeouts,
          non2xx: r.non2xx,
        });
      },
    );
    inst.on('response', (_c, _s, resBytes, ms) => {
      if (n < times.length) times[n++] = ms;
      bytes += resBytes;
    });
  });

process.on('message', (m: LoadRequest) => {
  if (m?.type !== 'run') return;
  run(m).then(
    (result) => process.send?.({ type: 'result', id: m.id, result }),
    (err: Error) => process.send?.({ type: 'result', id: m.id, error: String(err?.message ?? err) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
