// Benchmark of the GitOps core. Prints:
//  - time to validate and load a repository of 1,000 providers and 1,000 bindings (goal < 1 s),
//  - commit-to-live reload latency through `git push` and through a direct ref update (goal p95 < 1 s).
// Bounded: fixed counts, every wait capped; everything runs on 127.0.0.1 in a temporary folder.
// Usage: node scripts/bench-config.ts [--providers N] [--rounds N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initDataDir } from '../server/config/repo-init.ts';
import { GitWriter } from '../server/config/git-writer.ts';
import { ConfigLoader } from '../server/config/loader.ts';
import { projectCatalog } from '../server/config/catalog.ts';
import { validateSource } from '../server/config/validate.ts';
import { nativeGitSource } from '../server/config/sources/native-git-source.ts';
import { startHub } from '../server/main.ts';

const { values } = parseArgs({ options: { providers: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '20' }, 'load-once': { type: 'string' } } });
const N = Number(values.providers);
const ROUNDS = Math.min(100, Number(values.rounds));
const TEMPLATES = ['openai', 'anthropic', 'deepseek', 'google-gemini', 'cohere'];

const ms = (t: number) => `${t.toFixed(1)} ms`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const git = (cwd: string, args: string[]) =>
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

function files(n: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const env = i % 2 ? 'prod' : 'dev';
    out[`providers/p${i}.yaml`] = `id: p${i}\ntemplate: ${TEMPLATES[i % TEMPLATES.length]}\nname: Provider ${i}\nenvironment: ${env}\nconnection:\n  baseUrl: http://127.0.0.1:${9000 + (i % 100)}/v1\n`;
  }
  for (let i = 0; i < n; i++) {
    const env = i % 2 ? 'prod' : 'dev';
    const a = i;
    const b = (i + 2) % n;
    out[`bindings/b${i}.yaml`] = `name: b${i}\nenvironment: ${env}\nprotocol: openai-chat\nstrategy: priority\ntargets:\n  - provider: p${a}\n  - provider: p${b}\nfailover:\n  on: [connect-error, timeout, "429", "5xx"]\n  maxAttempts: 2\n`;
  }
  return out;
}

/** `--load-once GITDIR`: one load in this (new) process, timed from before the first import of the validator. */
async function loadOnce(gitdir: string): Promise<void> {
  const t = performance.now();
  const catalog = projectCatalog().catalog;
  const loader = new ConfigLoader({ gitdir, catalog });
  const r = await loader.load((await loader.head())!);
  console.log(JSON.stringify({ ms: performance.now() - t, ok: r.ok }));
}

function freshProcessLoad(gitdir: string): number {
  const out = execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--load-once', gitdir], { encoding: 'utf8' });
  return (JSON.parse(out) as { ms: number }).ms;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sil-bench-'));
  try {
    const { catalog } = projectCatalog();
    const { paths } = await initDataDir(join(dir, 'data'));
    const writer = new GitWriter({ gitdir: paths.gitdir, catalog });
    let t = performance.now();
    const { commit } = await writer.commit({ base: null, changes: files(N), message: `bench: ${N} providers, ${N} bindings`, author: { name: 'bench', email: 'bench@localhost' }, validate: false });
    console.log(`repository: ${N} providers + ${N} bindings written in ${ms(performance.now() - t)}`);

    const coldLoads = async (label: string) => {
    const cold: number[] = [];
    for (let i = 0; i < 5; i++) {
      const loader = new ConfigLoader({ gitdir: paths.gitdir, catalog });
      t = performance.now();
      const r = await loader.load(commit);
      cold.push(performance.now() - t);
      if (!r.ok) throw new Error(`bench config invalid: ${r.errors[0]?.message}`);
      if (r.snapshot.providers.size !== N || r.snapshot.bindings.size !== N) throw new Error('snapshot incomplete');
    }
    console.log(`validate + load, ${label}, fresh loader, 5 runs: median ${ms(pct(cold, 50))}, max ${ms(Math.max(...cold))} (goal < 1000 ms)`);
    };
    await coldLoads('loose objects (as the hub writes them)');
    git(paths.gitdir, ['repack', '-adq']);
    await coldLoads('packed objects (after a push or git gc)');
    const fresh = [0, 1, 2].map(() => freshProcessLoad(paths.gitdir));
    console.log(`catalog + validate + load in a new process (module loading and JIT warm-up included), 3 runs: median ${ms(pct(fresh, 50))}, max ${ms(Math.max(...fresh))}`);

    const loader = new ConfigLoader({ gitdir: paths.gitdir, catalog });
    await loader.load(commit);
    const { commit: next } = await writer.commit({ base: commit, changes: { 'providers/p0.yaml': files(1)['providers/p0.yaml'].replace('Provider 0', 'Renamed') }, message: 'bench: one change', author: { name: 'bench', email: 'bench@localhost' }, validate: false });
    t = performance.now();
    await loader.load(next);
    console.log(`reload after a one-file change (parse cache warm): ${ms(performance.now() - t)}`);

    t = performance.now();
    const hook = await validateSource(nativeGitSource(paths.gitdir, next), catalog);
    console.log(`validate with native git (what the push hook does, in-process): ${ms(performance.now() - t)}, ok=${hook.ok}`);

    // Reload latency on a running hub.
    const hub = await startHub({ dataDir: paths.dataDir, host: '127.0.0.1', port: 0, log: () => undefined });
    try {
      const live = async () => ((await (await fetch(`${hub.url}/healthz`)).json()) as { config: { commit: string } }).config.commit;
      const waitLive = async (target: string) => {
        const started = performance.now();
        while ((await live()) !== target) {
          if (performance.now() - started > 5000) throw new Error('not live after 5 s');
          await new Promise((r) => setTimeout(r, 2));
        }
        return performance.now() - started;
      };
      const work = join(dir, 'work');
      git(dir, ['clone', '-q', paths.gitdir, work]);
      const pushed: number[] = [];
      const pushTimes: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        mkdirSync(join(work, 'policies'), { recursive: true });
        writeFileSync(join(work, 'policies', 'bench.yaml'), `name: bench\ndescription: round ${i}\n`);
        git(work, ['add', '-A']);
        git(work, ['commit', '-q', '-m', `bench round ${i}`]);
        const sha = git(work, ['rev-parse', 'HEAD']);
        const p = performance.now();
        git(work, ['push', '-q', 'origin', 'main']);
        pushTimes.push(performance.now() - p);
        pushed.push(await waitLive(sha));
      }
      console.log(`git push (hook validates ${N}+${N} files), ${ROUNDS} rounds: median ${ms(pct(pushTimes, 50))}, p95 ${ms(pct(pushTimes, 95))}`);
      console.log(`push returned → live on /healthz, ${ROUNDS} rounds: p50 ${ms(pct(pushed, 50))}, p95 ${ms(pct(pushed, 95))}, max ${ms(Math.max(...pushed))} (goal p95 < 1000 ms)`);

      const direct: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const parent = git(paths.gitdir, ['rev-parse', 'main']);
        const tree = git(paths.gitdir, ['rev-parse', 'main^{tree}']);
        const sha = git(paths.gitdir, ['commit-tree', tree, '-p', parent, '-m', `direct ${i}`]);
        git(paths.gitdir, ['update-ref', 'refs/heads/main', sha, parent]);
        direct.push(await waitLive(sha));
      }
      console.log(`ref updated → live on /healthz, ${ROUNDS} rounds: p50 ${ms(pct(direct, 50))}, p95 ${ms(pct(direct, 95))}, max ${ms(Math.max(...direct))} (goal p95 < 1000 ms)`);
    } finally {
      await hub.close();
    }
    console.log(`rss: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values['load-once']) await loadOnce(values['load-once']);
else await main();
