// Builds the owner console (admin/ → admin/dist/) with Astro.
//
//   node scripts/build-console.ts             build
//   node scripts/build-console.ts --if-stale  build only when admin/dist is missing or older than
//                                             its sources (admin/src, admin/public, the Astro
//                                             config, package.json); a fast no-op otherwise
//
// `sil start` (so `npm start` too) calls ensureConsoleBuilt() before it starts the hub, so a
// fresh clone serves a built console; so do the browser tests. Concurrent callers (parallel test
// files, a second terminal) wait for one another through a lock folder instead of building twice
// at once. The build goes to a temporary folder that then replaces admin/dist in one rename, so
// a running hub never serves a half-written build; the previous build's /_astro/ files are
// carried over once, so pages opened before a rebuild can still load their scripts.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { holderRuns, parseHolder } from '../server/config/data-lock.ts';
import { systemProbe } from '../server/config/process-probe.ts';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const ADMIN = join(ROOT, 'admin');
export const DIST = join(ADMIN, 'dist');
/** Written after a successful build; its time is the build's. A dot file: never served. */
const STAMP_NAME = '.sil-build';
const STAMP = join(DIST, STAMP_NAME);
/** The /_astro/ files a build carried over from the one before (not carried again). */
const CARRIED_NAME = '.sil-carried';
const LOCK = join(ADMIN, '.build-lock');
const INPUTS = [join(ADMIN, 'src'), join(ADMIN, 'public'), join(ADMIN, 'astro.config.mjs'), join(ADMIN, 'tsconfig.json'), join(ROOT, 'package.json')];

/** The newest modification time below `path` (folders count too: a deleted file changes its folder). */
function newest(path: string): number {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  let time = info.mtimeMs;
  if (info.isDirectory()) for (const name of readdirSync(path)) time = Math.max(time, newest(join(path, name)));
  return time;
}

/** Whether admin/dist holds a build that can be served. */
export function consoleIsBuilt(): boolean {
  return existsSync(join(DIST, 'index.html'));
}

/** Astro's command, wherever npm put the package (this checkout's node_modules or a parent's). */
function astroBin(): string | null {
  try {
    return join(dirname(fileURLToPath(import.meta.resolve('astro/package.json'))), 'bin', 'astro.mjs');
  } catch {
    return null;
  }
}

/** Why this installation cannot build the console (null: it can). */
export function buildToolingProblem(): string | null {
  if (!existsSync(join(ADMIN, 'src'))) return `${join(ADMIN, 'src')} is missing`;
  const astro = astroBin();
  if (!astro || !existsSync(astro)) return 'astro is not installed (run `npm install`)';
  return null;
}

export function consoleIsStale(): boolean {
  let built: number;
  try {
    built = statSync(STAMP).mtimeMs;
  } catch {
    return true;
  }
  return INPUTS.some((p) => newest(p) > built);
}

/** Copies the previous build's own /_astro/ files that the new build lacks; returns their names. */
function carryOver(from: string, to: string): string[] {
  const oldAssets = join(from, '_astro');
  if (!existsSync(oldAssets)) return [];
  let carriedBefore = new Set<string>();
  try {
    carriedBefore = new Set(readFileSync(join(from, CARRIED_NAME), 'utf8').split('\n').filter(Boolean));
  } catch {
    // first build, or one from before this file existed
  }
  const newAssets = join(to, '_astro');
  mkdirSync(newAssets, { recursive: true });
  const carried: string[] = [];
  for (const name of readdirSync(oldAssets)) {
    if (carriedBefore.has(name) || existsSync(join(newAssets, name))) continue;
    copyFileSync(join(oldAssets, name), join(newAssets, name));
    carried.push(name);
  }
  return carried;
}

/** Builds now (no staleness check) into a temporary folder, then swaps it in for admin/dist. */
function buildUnlocked(opts: { quiet?: boolean }): void {
  const out = join(ADMIN, `.dist-${process.pid}-${Date.now()}`);
  const astro = astroBin();
  if (!astro) throw new Error('astro is not installed (run `npm install`)');
  try {
    const r = spawnSync(process.execPath, [astro, 'build', '--root', ADMIN, '--outDir', out], {
      cwd: ROOT,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
      stdio: opts.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.status !== 0) {
      const output = opts.quiet ? `\n${r.stdout ?? ''}${r.stderr ?? ''}` : '';
      throw new Error(`the console build failed (astro build exited with ${r.status ?? r.signal ?? r.error?.message})${output}`);
    }
    writeFileSync(join(out, CARRIED_NAME), `${carryOver(DIST, out).join('\n')}\n`);
    writeFileSync(join(out, STAMP_NAME), `${new Date().toISOString()}\n`);
    const old = `${DIST}.old-${process.pid}`;
    if (existsSync(DIST)) renameSync(DIST, old);
    renameSync(out, DIST);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether the build lock was left by a process that has ended (killed while it built). */
function lockOwnerGone(): boolean {
  const holder = parseHolder(readFileSync(join(LOCK, 'owner'), 'utf8'));
  return holder !== null && !holderRuns(holder, systemProbe);
}

/** Runs `work` holding the build lock (admin/.build-lock), waiting up to 5 minutes for it. */
function withLock<T>(work: () => T): T {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create ${LOCK}: ${(err as Error).message}`);
      // Someone else builds. A lock whose builder has ended, or older than 5 minutes, is left
      // over from a crash.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 300_000 || lockOwnerGone()) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // gone meanwhile, or its owner file not written yet
      }
      if (Date.now() > deadline) throw new Error(`waited 5 minutes for ${LOCK}; remove it if no build is running`);
      sleep(250);
    }
  }
  try {
    writeFileSync(join(LOCK, 'owner'), JSON.stringify({ pid: process.pid, startTicks: systemProbe.find(process.pid)?.startTicks }));
    return work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds the console now. */
export function buildConsole(opts: { quiet?: boolean } = {}): void {
  withLock(() => buildUnlocked(opts));
}

/** Builds when stale, one caller at a time; returns whether this call built. */
export function ensureConsoleBuilt(opts: { quiet?: boolean } = {}): boolean {
  if (!consoleIsStale()) return false;
  return withLock(() => {
    if (!consoleIsStale()) return false; // built by the caller we waited for
    buildUnlocked(opts);
    return true;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    if (process.argv.includes('--if-stale')) {
      if (ensureConsoleBuilt()) process.stderr.write('console: built admin/dist\n');
    } else {
      buildConsole();
    }
  } catch (err) {
    process.stderr.write(`console: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
