// Benchmark of the proxy against the answer shapes real providers send (scripts/bench/shapes.ts):
// a mock OpenAI upstream, sil and (with --vs-portkey) Portkey's gateway, each in its own process,
// driven by autocannon in a fourth process, all on 127.0.0.1. For each shape it prints per round
// req/s, p50/p99 latency, CPU per request and RSS of each target at 50 connections and at 1,
// then medians, the overhead over the direct path, the usage sil recorded, and the goals:
//  - sil's throughput at 50 connections at least 4× Portkey's,
//  - sil's p99 at 50 connections at most a quarter of Portkey's,
//  - sil's added latency over the direct path at 1 connection at most 0.3 ms (medians),
//  - sil's RSS flat across rounds (none more than 10 % above the first) and below Portkey's;
// and at the end one table of the goals per shape. Every target first runs every shape once (a
// warm-up), then each shape is measured after a warm-up of its own. Rounds of the targets are interleaved
// (direct, sil, portkey, direct, ...) so that the noise of a shared machine falls on all alike.
// Bounded: every run stops after --duration seconds or 60,000 requests per second of it,
// whichever comes first, and is abandoned if it overruns; every child is stopped at the end.
// Usage: node scripts/bench-proxy.ts [--upstream length,chunked,gzip,sse] [--rounds N] [--duration S]
//        [--connections N] [--warmup S] [--vs-portkey] [--profile-dir DIR] [--usage-store on|off|both]
// --usage-store off runs sil without its usage store (docs/usage-store.md); `both` runs a second
// sil without it in the same rounds and prints what recording costs (goal: at most 5 % of throughput).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { DEFAULT_SHAPES, SHAPES, CALLER_HEADERS, USAGE, requestBody, shapesOf, type Shape } from './bench/shapes.ts';
import { children, forkChild, ask, stopChild, rssMb, cpuMs } from './bench/children.ts';
import { startPortkey, type Portkey } from './bench/portkey.ts';
import { report, recordingCost, summaryTable, codes, f, type Goals, type Measured } from './bench/report.ts';
import type { ChildMessage, LoadRequest, RunResult } from './bench/messages.ts';

const { values } = parseArgs({
  options: {
    upstream: { type: 'string', default: DEFAULT_SHAPES.join(',') },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    'vs-portkey': { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
    'usage-store': { type: 'string', default: 'on' },
  },
});

const clamp = (v: string | undefined, lo: number, hi: number, name: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < lo || n > hi) throw new Error(`--${name} must be a number from ${lo} to ${hi}`);
  return n;
};

interface Target extends Measured {
  url: string;
  headers: Record<string, string>;
  body: string;
  pid: number | undefined;
}

/** One request through the target; true when it answers 200 with a completion of the shape. */
async function smoke(t: Target, shape: Shape): Promise<boolean> {
  try {
    const res = await fetch(t.url, { method: 'POST', headers: t.headers, body: t.body, signal: AbortSignal.timeout(10_000) });
    const text = await res.text(); // fetch undoes the Content-Encoding the answer declares
    let ok = res.status === 200;
    if (shape.sse) ok &&= text.includes('"content":" mock"') && text.trimEnd().endsWith('data: [DONE]');
    else {
      try {
        ok &&= Array.isArray((JSON.parse(text) as { choices?: unknown }).choices);
      } catch {
        ok = false;
      }
    }
    if (!ok) console.log(`${t.name}: a test request of shape ${shape.name} got ${res.status} (${res.headers.get('content-type')}, ${res.headers.get('content-encoding') ?? 'no encoding'}): ${text.slice(0, 300)}; ${t.name} is left out of this shape`);
    return ok;
  } catch (err) {
    console.log(`${t.name}: a test request of shape ${shape.name} failed: ${(err as Error).message}; ${t.name} is left out of this shape`);
    return false;
  }
}

async function main(): Promise<void> {
  const shapes = shapesOf(values.upstream!);
  const ROUNDS = clamp(values.rounds, 1, 20, 'rounds');
  const DURATION = clamp(values.duration, 1, 60, 'duration');
  const CONNS = clamp(values.connections, 2, 500, 'connections');
  const WARMUP = clamp(values.warmup, 0, 30, 'warmup');
  const store = values['usage-store']!;
  if (store !== 'on' && store !== 'off' && store !== 'both') throw new Error('--usage-store must be on, off or both');
  const REQ_CAP_PER_SECOND = 60_000;
  const tmp = mkdtempSync(join(tmpdir(), 'sil-bench-proxy-'));
  const onSignal = (sig: NodeJS.Signals) => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    console.log(`bench:proxy on ${process.version}, upstream shapes ${shapes.map((s) => s.name).join(', ')}; ${ROUNDS} rounds of ${DURATION} s at ${CONNS} and at 1 connection per shape, warm-up ${WARMUP} s; sil's usage store ${store === 'both' ? 'on, and a second sil with it off' : store}; everything on 127.0.0.1`);
    for (const s of shapes) console.log(`  ${s.name.padEnd(8)} ${s.what}`);
    const mock = await forkChild(new URL('./bench/mock-upstream.ts', import.meta.url), []);
    const mockUrl = mock.ready.url!;
    const load = await forkChild(new URL('./bench/load-role.ts', import.meta.url), []);
    const profileDir = values['profile-dir'];
    // sil runs with the V8 flags `sil start` uses (server/runtime-flags.json).
    const hubFlags = (JSON.parse(readFileSync(new URL('../server/runtime-flags.json', import.meta.url), 'utf8')) as { hub: string[] }).hub;
    const sil = await forkChild(new URL('./bench/sil-role.ts', import.meta.url), ['--dir', join(tmp, 'sil'), '--upstream', mockUrl, '--usage-store', store === 'off' ? 'off' : 'on'], [...hubFlags, ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [])]);
    console.log(`mock upstream ${mockUrl} (pid ${mock.child.pid}), sil ${sil.ready.url} (pid ${sil.child.pid}), autocannon in pid ${load.child.pid}`);
    // --usage-store both: a second sil without its usage store, measured in the same rounds.
    const silOff = store === 'both' ? await forkChild(new URL('./bench/sil-role.ts', import.meta.url), ['--dir', join(tmp, 'sil-off'), '--upstream', mockUrl, '--usage-store', 'off'], hubFlags) : null;
    if (silOff) console.log(`sil-off ${silOff.ready.url} (pid ${silOff.child.pid}): the same hub without its usage store`);
    const portkey: Portkey | null = values['vs-portkey'] ? await startPortkey(join(tmp, 'portkey')) : null;
    if (portkey) console.log(`portkey ${portkey.base} (pid ${portkey.pid}), @portkey-ai/gateway ${portkey.version}`);

    let nextId = 1;
    const drive = (t: Target, connections: number, seconds: number) =>
      new Promise<RunResult>((ok, fail) => {
        const id = nextId++;
        const msg: LoadRequest = { type: 'run', id, url: t.url, headers: t.headers, body: t.body, connections, duration: seconds, maxRequests: Math.ceil(REQ_CAP_PER_SECOND * seconds) };
        const timer = setTimeout(() => {
          load.child.removeListener('message', onMsg);
          fail(new Error(`autocannon run against ${t.name} overran ${seconds + 30} s`));
        }, (seconds + 30) * 1000);
        const onMsg = (m: ChildMessage) => {
          if (m.type !== 'result' || m.id !== id) return;
          clearTimeout(timer);
          load.child.removeListener('message', onMsg);
          if (m.error || !m.result) fail(new Error(`autocannon against ${t.name}: ${m.error}`));
          else ok(m.result);
        };
        load.child.on('message', onMsg);
        load.child.send(msg);
      });
    const usageOf = async (child: ChildProcess, binding: string) => (await ask(child, 'usage', 'usage'))?.byBinding[binding] ?? { requests: 0, inputTokens: 0, outputTokens: 0 };

    const targetsOf = async (shape: Shape): Promise<Target[]> => {
      const candidates: Target[] = [
        { name: 'direct', url: `${mockUrl}/${shape.name}/v1/chat/completions`, headers: { ...CALLER_HEADERS, authorization: 'Bearer sk-direct' }, body: requestBody(shape, 'gpt-4o-mini'), pid: mock.child.pid, runs: new Map() },
        { name: 'sil', url: `${sil.ready.url}/v1/chat/completions`, headers: { ...CALLER_HEADERS, authorization: `Bearer ${sil.ready.token}` }, body: requestBody(shape, `chat-${shape.name}`), pid: sil.child.pid, runs: new Map() },
      ];
      if (silOff) candidates.push({ name: 'sil-off', url: `${silOff.ready.url}/v1/chat/completions`, headers: { ...CALLER_HEADERS, authorization: `Bearer ${silOff.ready.token}` }, body: requestBody(shape, `chat-${shape.name}`), pid: silOff.child.pid, runs: new Map() });
      if (portkey) {
        candidates.push({ name: 'portkey', url: `${portkey.base}/v1/chat/completions`, headers: { ...CALLER_HEADERS, authorization: `Bearer sk-proj-${'p'.repeat(40)}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${mockUrl}/${shape.name}/v1` }, body: requestBody(shape, 'gpt-4o-mini'), pid: portkey.pid, runs: new Map() });
      }
      const out: Target[] = [];
      for (const t of candidates) if (await smoke(t, shape)) out.push(t);
      return out;
    };
    const targetsByShape = new Map<string, Target[]>();
    for (const shape of shapes) targetsByShape.set(shape.name, await targetsOf(shape));
    // Every target goes through every shape once before anything is measured, so that the first
    // shape is not measured on a colder process (JIT, heap, connection pools) than the last.
    if (WARMUP > 0 && shapes.length > 1) {
      for (const shape of shapes) {
        for (const t of targetsByShape.get(shape.name)!) {
          const r = await drive(t, CONNS, WARMUP);
          console.log(`first warm-up ${shape.name.padEnd(8)} ${t.name.padEnd(7)} ${f(r.rps, 0)} req/s (${codes(r)}), rss ${f(rssMb(t.pid), 1)} MB`);
        }
      }
    }

    const goals: Goals[] = [];
    for (const shape of shapes) {
      console.log(`\n=== upstream shape "${shape.name}": ${shape.what}`);
      const targets = targetsByShape.get(shape.name)!;
      const usageBefore = await usageOf(sil.child, `chat-${shape.name}`);
      if (WARMUP > 0) {
        for (const t of targets) {
          const r = await drive(t, CONNS, WARMUP);
          console.log(`warm-up ${t.name.padEnd(7)} ${f(r.rps, 0)} req/s (${codes(r)}), rss ${f(rssMb(t.pid), 1)} MB`);
        }
      }
      for (const connections of [CONNS, 1]) {
        for (let round = 1; round <= ROUNDS; round++) {
          console.log(`round ${round}/${ROUNDS} at ${connections} connection${connections === 1 ? '' : 's'}`);
          for (const t of targets) {
            const cpuBefore = cpuMs(t.pid);
            const result = await drive(t, connections, DURATION);
            const cpuUsPerReq = ((cpuMs(t.pid) - cpuBefore) * 1000) / result.requests;
            const rss = rssMb(t.pid);
            if (!t.runs.has(connections)) t.runs.set(connections, []);
            t.runs.get(connections)!.push({ result, rss, cpuUsPerReq });
            const heap = t.name === 'sil' ? (await ask(sil.child, 'mem', 'mem'))?.usage : undefined;
            console.log(
              `  ${t.name.padEnd(7)} ${f(result.rps, 0).padStart(6)} req/s  p50 ${f(result.p50, 3).padStart(7)} ms  p99 ${f(result.p99, 3).padStart(7)} ms  max ${f(result.max, 1).padStart(6)} ms  ` +
                `cpu ${f(cpuUsPerReq, 0).padStart(4)} µs/req  rss ${f(rss, 1).padStart(6)} MB${heap ? ` (heap ${f(heap.heapUsed / 1048576, 1)}/${f(heap.heapTotal / 1048576, 1)} MB)` : ''}  [${codes(result)}]`,
            );
          }
        }
      }
      goals.push(report(shape.name, targets, CONNS, ROUNDS, DURATION));
      if (silOff) recordingCost(shape.name, targets, CONNS);
      // Usage: every answer sil passed on must have been metered, whatever its framing or encoding.
      await new Promise((r) => setTimeout(r, 200));
      const after = await usageOf(sil.child, `chat-${shape.name}`);
      const requests = after.requests - usageBefore.requests;
      const tokens = after.inputTokens + after.outputTokens - usageBefore.inputTokens - usageBefore.outputTokens;
      const perRequest = USAGE.prompt_tokens + USAGE.completion_tokens;
      const silRuns = targets.find((t) => t.name === 'sil');
      const answered = silRuns ? [...silRuns.runs.values()].flat().reduce((n, r) => n + (r.result.statusCodes['200'] ?? 0), 0) : 0;
      // Answers the load tool cut off when a run ended are recorded without usage (never completed).
      const met = requests >= answered && answered > 0 && tokens >= answered * perRequest && tokens % perRequest === 0;
      console.log(`  ${met ? 'MET ' : 'MISS'} usage read: sil recorded ${requests} requests (${answered} answered in the measured rounds, the rest in the warm-up or cut off when a run ended) with ${tokens} tokens = ${f(tokens / perRequest, 0)} answers of ${perRequest} tokens, as the mock reports them`);
    }

    console.log(`\nall shapes (medians; ${ROUNDS} rounds of ${DURATION} s; ${portkey ? `Portkey ${portkey.version}` : 'no Portkey'})\n${summaryTable(goals, CONNS)}`);
    console.log(`bench rss: ${f(process.memoryUsage().rss / 1024 / 1024, 0)} MB; mock upstream rss ${f(rssMb(mock.child.pid), 1)} MB`);
    if (profileDir) console.log(`sil's CPU profile: written to ${profileDir} when sil stops`);
  } finally {
    await Promise.all(children.map(stopChild));
    rmSync(tmp, { recursive: true, force: true });
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

if (SHAPES.length === 0) throw new Error('no shapes');
await main();
