// Benchmark of the proxy. A mock OpenAI upstream, sil and (with --vs-portkey) Portkey's gateway,
// each in its own process, driven by autocannon in a fourth process, all on 127.0.0.1. Prints per
// round req/s, p50/p99 latency and the target process's RSS at 50 connections and at 1
// connection, then medians, the overhead of sil (and Portkey) over the direct path, and the goals:
//  - sil's throughput at 50 connections at least 4x Portkey's,
//  - sil's p99 at 50 connections at most a quarter of Portkey's,
//  - sil's added latency over the direct path at 1 connection under 0.3 ms (medians),
//  - sil's RSS flat across rounds after warm-up (no round, in run order, more than 10 % above the first; a drop is
//    the collector giving memory back, not growth) and below Portkey's.
// Rounds of the targets are interleaved (direct, sil, portkey, direct, ...) so that the noise of a
// shared machine falls on all of them alike. Latency percentiles are computed from every response
// time autocannon reports (fractions of a millisecond), not from its whole-millisecond histogram;
// the CPU time each target process used per request is read from /proc.
// Bounded: every run stops after --duration seconds or 60,000 requests per second of it,
// whichever comes first, and is killed if it overruns; every child is stopped at the end.
// Usage: node scripts/bench-proxy.ts [--rounds N] [--duration S] [--connections N] [--warmup S] [--vs-portkey]
//        [--profile-dir DIR]  (writes a V8 CPU profile of the sil process into DIR)
import { fork, spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(import.meta.url);
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    dir: { type: 'string' },
    upstream: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '5' },
    'vs-portkey': { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
  },
});

const clamp = (v: string | undefined, lo: number, hi: number, name: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < lo || n > hi) throw new Error(`--${name} must be a number from ${lo} to ${hi}`);
  return n;
};

// ---------------------------------------------------------------------------------------------
// Messages between the bench and its children

interface LoadRequest {
  type: 'run';
  id: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
  maxRequests: number;
}
interface RunResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  non2xx: number;
}
type ChildMessage =
  | { type: 'ready'; url?: string; token?: string }
  | { type: 'result'; id: number; result?: RunResult; error?: string }
  | { type: 'mem'; usage: NodeJS.MemoryUsage };

// ---------------------------------------------------------------------------------------------
// Role: the mock upstream

const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the mock.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 },
});

async function runMockRole(): Promise<void> {
  const body = Buffer.from(COMPLETION);
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && (req.url ?? '').split('?')[0] === '/v1/chat/completions') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        res.end(body);
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not found"}}');
      }
    });
  });
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const stop = () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${(server.address() as { port: number }).port}` } satisfies ChildMessage);
}

// ---------------------------------------------------------------------------------------------
// Role: sil, over a fresh config repository with one provider, one binding, a client and a key

async function runSilRole(dir: string, upstream: string): Promise<void> {
  const { initDataDir } = await import('../server/config/repo-init.ts');
  const { GitWriter } = await import('../server/config/git-writer.ts');
  const { projectCatalog } = await import('../server/config/catalog.ts');
  const { loadHubIdentity } = await import('../server/vault/identity.ts');
  const { changeKeys } = await import('../server/vault/key-ops.ts');
  const { addKey } = await import('../server/vault/keyring.ts');
  const { generateClientToken, hashToken } = await import('../server/vault/client-token.ts');
  const { startHub } = await import('../server/main.ts');

  const data = join(dir, 'data');
  const { paths } = await initDataDir(data);
  const catalog = projectCatalog().catalog;
  const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
  const author = { name: 'bench', email: 'bench@localhost' };
  const token = generateClientToken();
  await writer.commit({
    base: null,
    author,
    message: 'bench: proxy',
    changes: {
      'sil.yaml': 'version: 1\nenvironments: [dev, prod]\n',
      'providers/openai.yaml': `id: openai\ntemplate: openai\nname: OpenAI (mock)\nenvironment: prod\nconnection:\n  baseUrl: ${upstream}/v1\n`,
      'bindings/chat.yaml': 'name: chat\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: openai, model: gpt-4o-mini }\n',
      'clients/bench.yaml': `name: bench\nenvironment: prod\nbindings: [chat]\ntokens:\n  - { id: t1, hash: "${hashToken(token)}", createdAt: "2026-01-01T00:00:00Z" }\n`,
    },
  });
  const vault = { gitdir: paths.gitdir, writer, catalog, hub: await loadHubIdentity(paths.ageKey), author, now: () => new Date() };
  await changeKeys(vault, 'openai', (k, kc) => addKey(k, kc, { secret: { apiKey: `sk-proj-${'b'.repeat(40)}` } }));
  const hub = await startHub({ dataDir: data, host: '127.0.0.1', port: 0, log: (l) => process.stderr.write(`${l}\n`) });
  if (!hub.live.snapshot?.keyrings.size) throw new Error('sil started without the key of the provider');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 3000).unref();
    hub.close().finally(() => process.exit(0));
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'mem') process.send?.({ type: 'mem', usage: process.memoryUsage() } satisfies ChildMessage);
  });
  process.send?.({ type: 'ready', url: hub.url, token } satisfies ChildMessage);
}

// ---------------------------------------------------------------------------------------------
// Role: the load generator (autocannon), one run at a time on request

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
  stop(): void;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function runLoadRole(): Promise<void> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const run = (m: LoadRequest) =>
    new Promise<RunResult>((ok, fail) => {
      const times = new Float64Array(m.maxRequests + m.connections);
      let n = 0;
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
            statusCodes,
            errors: r.errors,
            timeouts: r.timeouts,
            non2xx: r.non2xx,
          });
        },
      );
      inst.on('response', (_c, _s, _b, ms) => {
        if (n < times.length) times[n++] = ms;
      });
    });
  process.on('message', (m: LoadRequest) => {
    if (m?.type !== 'run') return;
    run(m).then(
      (result) => process.send?.({ type: 'result', id: m.id, result } satisfies ChildMessage),
      (err: Error) => process.send?.({ type: 'result', id: m.id, error: String(err?.message ?? err) } satisfies ChildMessage),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready' } satisfies ChildMessage);
}

// ---------------------------------------------------------------------------------------------
// The bench

const children: ChildProcess[] = [];

/** The last `limit` characters a child printed, for error messages. */
function tail(child: ChildProcess, limit = 4000): () => string {
  let text = '';
  const keep = (c: Buffer) => {
    text = (text + c.toString('utf8')).slice(-limit);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

async function forkRole(role: string, args: string[], execArgv: string[] = [], timeoutMs = 60_000): Promise<{ child: ChildProcess; ready: Extract<ChildMessage, { type: 'ready' }>; output: () => string }> {
  const child = fork(SCRIPT, ['--role', role, ...args], { execPath: process.execPath, execArgv: [...process.execArgv, ...execArgv], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  children.push(child);
  const output = tail(child);
  const ready = await new Promise<Extract<ChildMessage, { type: 'ready' }>>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${role}: not ready after ${timeoutMs} ms\n${output()}`)), timeoutMs);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        ok(m);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`${role}: exited (${code ?? signal}) before it was ready\n${output()}`));
    });
  });
  return { child, ready, output };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process in MB, from /proc (Linux); NaN where that cannot be read. */
function rssMb(pid: number | undefined): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

let clockTicks = 0;
/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); NaN where that cannot be read. */
function cpuMs(pid: number | undefined): number {
  try {
    if (!clockTicks) clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return NaN;
  }
}

/** V8 heap figures of the sil process (asked over IPC), in MB. */
function silHeap(child: ChildProcess): Promise<{ heapUsed: number; heapTotal: number; external: number } | null> {
  return new Promise((ok) => {
    const timer = setTimeout(() => done(null), 2000);
    const onMsg = (m: ChildMessage) => {
      if (m.type === 'mem') done({ heapUsed: m.usage.heapUsed / 1048576, heapTotal: m.usage.heapTotal / 1048576, external: m.usage.external / 1048576 });
    };
    const done = (v: { heapUsed: number; heapTotal: number; external: number } | null) => {
      clearTimeout(timer);
      child.removeListener('message', onMsg);
      ok(v);
    };
    child.on('message', onMsg);
    child.send({ type: 'mem' });
  });
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createNetServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs: number }): Promise<{ ok: boolean; out: string }> {
  return new Promise((ok) => {
    execFile(cmd, args, { cwd: opts.cwd, timeout: opts.timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      ok({ ok: !err, out: `${err ? `${err.message}\n` : ''}${stdout}${stderr}`.trim() });
    });
  });
}

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  pid: number | undefined;
  runs: Map<number, { result: RunResult; rss: number; cpuUsPerReq: number }[]>;
}

/** Installs Portkey's gateway into `dir` and starts it on a free port; null (with the reason printed) when that fails. */
async function startPortkey(dir: string, mockUrl: string): Promise<Target | null> {
  console.log(`portkey: npm install --prefix ${dir} @portkey-ai/gateway ...`);
  const t = performance.now();
  const inst = await run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', '@portkey-ai/gateway'], { timeoutMs: 300_000 });
  const pkgDir = join(dir, 'node_modules', '@portkey-ai', 'gateway');
  if (!inst.ok || !existsSync(join(pkgDir, 'package.json'))) {
    console.log(`portkey: install failed, measuring without it:\n${inst.out.slice(-2000)}`);
    return null;
  }
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string; bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : Object.values(pkg.bin ?? {})[0] ?? 'build/start-server.js';
  console.log(`portkey: @portkey-ai/gateway ${pkg.version} installed in ${((performance.now() - t) / 1000).toFixed(1)} s; starting ${bin}`);
  const port = await freePort();
  // --headless: no web UI and no log stream, as in production. The gateway listens on every
  // interface (it has no host option); the bench only ever sends to 127.0.0.1.
  const child = spawn(process.execPath, [join(pkgDir, bin), `--port=${port}`, '--headless'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
  children.push(child);
  const output = tail(child);
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  while (performance.now() - started < 30_000) {
    if (child.exitCode !== null || child.signalCode !== null) {
      console.log(`portkey: exited (${child.exitCode ?? child.signalCode}) on start, measuring without it:\n${output()}`);
      return null;
    }
    try {
      const res = await fetch(`${base}/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (performance.now() - started >= 30_000) {
    console.log(`portkey: not answering after 30 s, measuring without it:\n${output()}`);
    await stopChild(child);
    return null;
  }
  return {
    name: 'portkey',
    url: `${base}/v1/chat/completions`,
    headers: { 'content-type': 'application/json', authorization: `Bearer sk-proj-${'p'.repeat(40)}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${mockUrl}/v1` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello.' }] }),
    pid: child.pid,
    runs: new Map(),
  };
}

/** One request through the target; true when it answers 200 with a chat completion. */
async function smoke(t: Target): Promise<boolean> {
  try {
    const res = await fetch(t.url, { method: 'POST', headers: t.headers, body: t.body, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    let ok = res.status === 200;
    try {
      ok &&= Array.isArray((JSON.parse(text) as { choices?: unknown }).choices);
    } catch {
      ok = false;
    }
    if (!ok) console.log(`${t.name}: a test request got ${res.status}: ${text.slice(0, 500)}; ${t.name} is left out`);
    return ok;
  } catch (err) {
    console.log(`${t.name}: a test request failed: ${(err as Error).message}; ${t.name} is left out`);
    return false;
  }
}

const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const codes = (r: RunResult) => {
  const c = Object.entries(r.statusCodes).map(([k, v]) => `${k}×${v}`).join(', ') || 'no answers';
  const extra = [r.errors ? `${r.errors} errors` : '', r.timeouts ? `${r.timeouts} timeouts` : ''].filter(Boolean).join(', ');
  return extra ? `${c}; ${extra}` : c;
};

async function main(): Promise<void> {
  const ROUNDS = clamp(values.rounds, 1, 20, 'rounds');
  const DURATION = clamp(values.duration, 1, 60, 'duration');
  const CONNS = clamp(values.connections, 2, 500, 'connections');
  const WARMUP = clamp(values.warmup, 0, 30, 'warmup');
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
    console.log(`bench:proxy on ${process.version}, ${ROUNDS} rounds of ${DURATION} s at ${CONNS} and at 1 connection, warm-up ${WARMUP} s; everything on 127.0.0.1`);
    const mock = await forkRole('mock', []);
    const mockUrl = mock.ready.url!;
    const load = await forkRole('load', []);
    const profileDir = values['profile-dir'];
    // sil runs with the V8 flags `sil start` uses (server/runtime-flags.json).
    const hubFlags = (JSON.parse(readFileSync(new URL('../server/runtime-flags.json', import.meta.url), 'utf8')) as { hub: string[] }).hub;
    const sil = await forkRole('sil', ['--dir', join(tmp, 'sil'), '--upstream', mockUrl], [...hubFlags, ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [])]);
    console.log(`mock upstream ${mockUrl} (pid ${mock.child.pid}), sil ${sil.ready.url} (pid ${sil.child.pid}), autocannon in pid ${load.child.pid}`);

    const body = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }] });
    const candidates: Target[] = [
      { name: 'direct', url: `${mockUrl}/v1/chat/completions`, headers: { 'content-type': 'application/json', authorization: 'Bearer sk-direct' }, body: body('gpt-4o-mini'), pid: mock.child.pid, runs: new Map() },
      { name: 'sil', url: `${sil.ready.url}/v1/chat/completions`, headers: { 'content-type': 'application/json', authorization: `Bearer ${sil.ready.token}` }, body: body('chat'), pid: sil.child.pid, runs: new Map() },
    ];
    if (values['vs-portkey']) {
      const pk = await startPortkey(join(tmp, 'portkey'), mockUrl);
      if (pk) candidates.push(pk);
    }
    const targets: Target[] = [];
    for (const t of candidates) if (await smoke(t)) targets.push(t);

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
          const heap = t.name === 'sil' ? await silHeap(sil.child) : null;
          console.log(
            `  ${t.name.padEnd(7)} ${f(result.rps, 0).padStart(6)} req/s  p50 ${f(result.p50, 3).padStart(7)} ms  p99 ${f(result.p99, 3).padStart(7)} ms  max ${f(result.max, 1).padStart(6)} ms  ` +
              `cpu ${f(cpuUsPerReq, 0).padStart(4)} µs/req  rss ${f(rss, 1).padStart(6)} MB${heap ? ` (heap ${f(heap.heapUsed, 1)}/${f(heap.heapTotal, 1)} MB)` : ''}  [${codes(result)}]`,
          );
        }
      }
    }

    // Medians and goals.
    const byName = new Map(targets.map((t) => [t.name, t]));
    const med = (t: Target | undefined, c: number, k: 'rps' | 'p50' | 'p99' | 'cpu') => (t ? median((t.runs.get(c) ?? []).map((x) => (k === 'cpu' ? x.cpuUsPerReq : x.result[k]))) : NaN);
    console.log(`\nmedians of ${ROUNDS} rounds of ${DURATION} s`);
    for (const t of targets) {
      for (const c of [CONNS, 1]) console.log(`  ${t.name.padEnd(7)} ${String(c).padStart(3)} conn: ${f(med(t, c, 'rps'), 0).padStart(6)} req/s  p50 ${f(med(t, c, 'p50'), 3).padStart(7)} ms  p99 ${f(med(t, c, 'p99'), 3).padStart(7)} ms  cpu ${f(med(t, c, 'cpu'), 0).padStart(4)} µs/req (target process)`);
    }
    const direct = byName.get('direct');
    for (const name of ['sil', 'portkey']) {
      const t = byName.get(name);
      if (!t || !direct) continue;
      const pair = (c: number) => {
        const a = t.runs.get(c) ?? [];
        const b = direct.runs.get(c) ?? [];
        return a.map((x, i) => x.result.p50 - (b[i]?.result.p50 ?? NaN));
      };
      console.log(
        `  ${name} over direct: at ${CONNS} conn ${f((100 * med(t, CONNS, 'rps')) / med(direct, CONNS, 'rps'), 0)} % of direct's req/s, p50 +${f(med(t, CONNS, 'p50') - med(direct, CONNS, 'p50'), 3)} ms, p99 +${f(med(t, CONNS, 'p99') - med(direct, CONNS, 'p99'), 3)} ms; ` +
          `at 1 conn p50 +${f(med(t, 1, 'p50') - med(direct, 1, 'p50'), 3)} ms (per round: ${pair(1).map((x) => f(x, 3)).join(', ')} ms), p99 +${f(med(t, 1, 'p99') - med(direct, 1, 'p99'), 3)} ms`,
      );
    }

    // Rounds run at 50 connections, then at 1: RSS is read after each, in that order. Flat = no
    // round more than 10 % above the first measured round (after the warm-up); a drop (the
    // collector giving memory back after the 50-connection rounds) is not growth.
    console.log(`\nRSS after each round (MB), in run order; flat = no round more than 10 % above the first`);
    const rssFlat = new Map<string, { series: string; max: number; median: number; flat: boolean }>();
    for (const t of targets) {
      const parts: string[] = [];
      const all: number[] = [];
      for (const c of [CONNS, 1]) {
        const xs = (t.runs.get(c) ?? []).map((x) => x.rss);
        all.push(...xs);
        parts.push(`${c} conn: ${xs.map((x) => f(x, 1)).join(' → ')}`);
      }
      const flat = all.length > 0 && Math.max(...all) <= 1.1 * all[0];
      parts.push(flat ? 'flat' : `max +${f((100 * (Math.max(...all) - all[0])) / all[0], 0)} % over the first round`);
      rssFlat.set(t.name, { series: parts.join('; '), max: Math.max(...all), median: median(all), flat });
      console.log(`  ${t.name.padEnd(7)} ${parts.join('; ')}; median ${f(median(all), 1)}, max ${f(Math.max(...all), 1)}: ${flat ? 'flat' : 'NOT flat'}`);
    }

    console.log('\nanswers');
    for (const t of targets) {
      const total: Record<string, number> = {};
      let errors = 0;
      let timeouts = 0;
      let non2xx = 0;
      for (const runs of t.runs.values()) {
        for (const { result } of runs) {
          for (const [k, v] of Object.entries(result.statusCodes)) total[k] = (total[k] ?? 0) + v;
          errors += result.errors;
          timeouts += result.timeouts;
          non2xx += result.non2xx;
        }
      }
      const all = Object.values(total).reduce((a, b) => a + b, 0);
      const only200 = all > 0 && total['200'] === all && !errors && !timeouts;
      console.log(`  ${t.name.padEnd(7)} ${all} answers in the measured rounds: ${Object.entries(total).map(([k, v]) => `${k}×${v}`).join(', ')}; non-2xx ${non2xx}, errors ${errors}, timeouts ${timeouts}${t.name === 'sil' ? (only200 ? ' — all 200' : ' — NOT all 200') : ''}`);
    }

    const s = byName.get('sil');
    const p = byName.get('portkey');
    const goal = (label: string, value: string, met: boolean | null) => console.log(`  ${met === null ? 'n/a ' : met ? 'MET ' : 'MISS'} ${label}: ${value}`);
    console.log('\ngoals (medians)');
    const tx = med(s, CONNS, 'rps') / med(p, CONNS, 'rps');
    goal(`sil's throughput at ${CONNS} connections ≥ 4× Portkey's`, p ? `${f(tx, 2)}× (${f(med(s, CONNS, 'rps'), 0)} vs ${f(med(p, CONNS, 'rps'), 0)} req/s)` : 'Portkey not measured', p ? tx >= 4 : null);
    const pr = med(s, CONNS, 'p99') / med(p, CONNS, 'p99');
    goal(`sil's p99 at ${CONNS} connections ≤ ¼ of Portkey's`, p ? `${f(pr, 3)} (${f(med(s, CONNS, 'p99'), 3)} vs ${f(med(p, CONNS, 'p99'), 3)} ms)` : 'Portkey not measured', p ? pr <= 0.25 : null);
    const added = med(s, 1, 'p50') - med(direct, 1, 'p50');
    goal("sil's added latency over direct at 1 connection < 0.3 ms", `${f(added, 3)} ms (p50 ${f(med(s, 1, 'p50'), 3)} vs ${f(med(direct, 1, 'p50'), 3)} ms)`, s ? added < 0.3 : null);
    const sr = rssFlat.get('sil');
    const pk = rssFlat.get('portkey');
    goal("sil's RSS flat across rounds (none more than 10 % above the first)", sr ? sr.series : 'sil not measured', sr ? sr.flat : null);
    goal("sil's RSS below Portkey's (max over the rounds)", sr && pk ? `max ${f(sr.max, 1)} vs ${f(pk.max, 1)} MB (medians ${f(sr.median, 1)} vs ${f(pk.median, 1)} MB)` : 'Portkey not measured', sr && pk ? sr.max < pk.max : null);
    console.log(`bench rss: ${f(process.memoryUsage().rss / 1024 / 1024, 0)} MB; mock upstream rss ${f(rssMb(mock.child.pid), 1)} MB`);
    if (profileDir) console.log(`sil's CPU profile: written to ${profileDir} when sil stops`);
  } finally {
    await Promise.all(children.map(stopChild));
    rmSync(tmp, { recursive: true, force: true });
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

if (values.role === 'mock') await runMockRole();
else if (values.role === 'sil') await runSilRole(values.dir!, values.upstream!);
else if (values.role === 'load') await runLoadRole();
else await main();
