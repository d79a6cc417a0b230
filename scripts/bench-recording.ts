// What recording a request costs: each observer the proxy reports to (the usage store, the
// metrics, the limiter, the feedback index, the health monitor's traffic window, the in-memory totals), timed in-process on a hub with
// the bench's config, with synthetic requests of that config (a few bindings, 2 % errors, tokens),
// plus how long a flush of the usage store takes. Steadier than comparing two hubs' throughput on
// a machine whose speed drifts; compare the figures with sil's CPU per request from bench:proxy.
// Bounded: a fixed number of requests per observer (default 200,000 × 5 runs).
// Usage: node scripts/bench-recording.ts [--requests N] [--runs N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchHub } from './bench/bench-hub.ts';
import { SHAPES } from './bench/shapes.ts';
import { RecentRequests } from '../server/observe/analytics/recent-requests.ts';
import { TrafficWindow } from '../server/observe/health/traffic-window.ts';
import { fanOut, type RequestOutcome, type UsageRecord, type UsageRecorder } from '../server/observe/usage-recorder.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '200000' }, runs: { type: 'string', default: '5' } } });
const N = Math.min(Math.max(Number(values.requests) || 200_000, 1_000), 2_000_000);
const RUNS = Math.min(Math.max(Number(values.runs) || 5, 1), 20);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const tmp = mkdtempSync(join(tmpdir(), 'sil-bench-recording-'));
try {
  // The upstream is never called: the observers are fed directly.
  const { hub } = await startBenchHub(tmp, 'http://127.0.0.1:9', { usageFlushMs: 0, log: () => {} });
  const snap = hub.live.snapshot!;
  const targets = SHAPES.map((s) => ({ binding: `chat-${s.name}`, provider: `openai-${s.name}`, keyId: snap.keyrings.get(`openai-${s.name}`)!.keys[0]!.id }));

  // Requests as the proxy reports them: ids made up front so that making them is not timed.
  const ids = Array.from({ length: N }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const start = Date.now();
  const feed = (observer: UsageRecorder, offset: number) => {
    for (let i = 0; i < N; i++) {
      const t = targets[i % targets.length]!;
      const at = start + offset + i * 0.2; // 5,000 requests per second of hub time
      const status = i % 50 === 0 ? 502 : 200;
      const outcome: RequestOutcome = { requestId: ids[i]!, at, client: 'bench', binding: t.binding, door: 'unified', provider: t.provider, model: 'gpt-4o-mini', keyId: t.keyId, status, latencyMs: 2 + (i % 97) * 0.3, attempts: 1, failovers: 0, attemptRecords: [{ provider: t.provider, service: 'chat', keyId: t.keyId, model: 'gpt-4o-mini', outcome: status === 200 ? 'ok' : 'status', status, ms: 2 }], answered: status === 200 };
      observer.outcome?.(outcome);
      if (status === 200) {
        const record: UsageRecord = { requestId: ids[i]!, at, client: 'bench', binding: t.binding, provider: t.provider, model: 'gpt-4o-mini', keyId: t.keyId, status, latencyMs: outcome.latencyMs, attempts: 1, usage: { inputTokens: 9, outputTokens: 5 }, cost: 0.0000045, currency: 'USD' };
        observer.record(record);
      }
    }
  };

  const observers: [string, UsageRecorder][] = [
    ['usage store (rollups)', hub.usageStore!.recorder],
    ['metrics (/metrics)', hub.metrics.recorder],
    ['limiter (no policy)', hub.limiter],
    ['feedback index', new RecentRequests()],
    ['health traffic window', new TrafficWindow()],
    ['usage totals (memory)', hub.usage],
  ];
  observers.push(['all of them (fanOut)', fanOut(observers.map(([, o]) => o))]);
  console.log(`bench:recording on ${process.version}: ${N.toLocaleString('en')} requests × ${RUNS} runs per observer, ${targets.length} bindings, 2 % errors; ns per request (outcome + usage record), median of runs`);
  let offset = 0;
  for (const [name, observer] of observers) {
    feed(observer, (offset += N)); // warm-up
    const perRequest: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      feed(observer, (offset += N));
      perRequest.push(((performance.now() - t0) * 1e6) / N);
    }
    console.log(`  ${name.padEnd(24)} ${median(perRequest).toFixed(0).padStart(5)} ns/request  (runs ${perRequest.map((x) => x.toFixed(0)).join(', ')})`);
  }
  const store = hub.usageStore!;
  const flushes: number[] = [];
  for (let r = 0; r < 3; r++) {
    feed(store.recorder, (offset += N));
    const t0 = performance.now();
    await store.flush();
    flushes.push(performance.now() - t0);
  }
  const rows = (await store.rows('minute', 0, Number.MAX_SAFE_INTEGER)).length;
  console.log(`  usage store flush after ${N.toLocaleString('en')} requests (${rows} minute rows held): ${flushes.map((x) => x.toFixed(1)).join(', ')} ms (every 5 s by default, off the request path)`);
  await hub.close();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
