// Portkey's gateway for bench:proxy: installed from the npm registry into a temporary folder and
// started on a free port (headless: no web UI and no log stream, as in production).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { children, freePort, run, stopChild, tail } from './children.ts';

export interface Portkey { base: string; pid: number | undefined; version: string }

// Portkey 1.15.2 on Node answers every streamed request with 500 "Something went wrong" (its log:
// `TypeError: immutable` in updateHeaders; Portkey issues #1389 and #1550): it adds its headers
// to the upstream fetch Response, whose headers are immutable. Its own proposed fix (pull request
// #1551) copies a streamed response before that; the bench applies the same copy to the build, for
// streamed requests only, so that SSE can be compared at all. JSON answers run Portkey unchanged.
const UNPATCHED = 'return r?(i=t,c=s):';
const PATCHED = 'return r?(i=this.context.isStreaming?new Response(t.body,{status:t.status,statusText:t.statusText,headers:new Headers(t.headers)}):t,c=s):';

function patchStreaming(file: string): string {
  const code = readFileSync(file, 'utf8');
  if (!code.includes(UNPATCHED)) return 'the streaming fix of pull request #1551 does not apply to this build (left as installed)';
  writeFileSync(file, code.replace(UNPATCHED, PATCHED));
  return 'applied the streaming fix of Portkey pull request #1551 (copy a streamed response before adding headers), streamed requests only';
}

/** Null (with the reason printed) when it cannot be installed or started. */
export async function startPortkey(dir: string): Promise<Portkey | null> {
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
  console.log(`portkey: ${patchStreaming(join(pkgDir, bin))}`);
  const port = await freePort();
  // The gateway listens on every interface (it has no host option); the bench only ever sends to 127.0.0.1.
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
      if (res.status === 200) return { base, pid: child.pid, version: pkg.version };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`portkey: not answering after 30 s, measuring without it:\n${output()}`);
  await stopChild(child);
  return null;
}
