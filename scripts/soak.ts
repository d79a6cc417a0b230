// The soak (docs/benchmarks.md, "Soak"): the brief's 48-hour monitoring, scaled to --minutes.
// A real redis-server, sil instances that share their config through a git remote, nginx in
// front (or, with --no-nginx, a balancer in this process), two mock providers; steady open-loop
// load with chaos on a schedule (a provider outage, config pushes, a key rotation, an instance
// restart, a Redis restart); per interval one table row: requests, ok, errors, lost, latency
// percentiles, each instance's RSS, the chaos events. At the end a summary row and a verdict.
// Bounded: the load stops after --minutes, every wait has a limit, the whole run is abandoned
// after --minutes + 6 minutes; every process it starts is stopped by PID at the end, on an
// error and on Ctrl-C, and its temporary folder removed (kept with --keep).
// Usage: npm run soak -- --minutes N [--interval-seconds S] [--rate R] [--instances K] [--no-nginx] [--out FILE] [--keep]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSoakOptions, type SoakOptions } from './soak/options.ts';
import { Processes } from './soak/processes.ts';
import { runSoak, type SoakResult } from './soak/run.ts';
import { setUp, type Soak, type Started } from './soak/setup.ts';
import { mmss, summaryRow, tableHeader, tableRow, verdict } from './soak/table.ts';

let opts: SoakOptions;
try {
  opts = parseSoakOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`soak: ${(err as Error).message}\n`);
  process.exit(2);
}

const SET_UP_MS = 180_000;
const SHUTDOWN_MS = 30_000;
const dir = mkdtempSync(join(tmpdir(), 'sil-soak-'));
const processes = new Processes();
const started: Started = {};
const clock = { start: 0 };
const logLines: string[] = [];
const stamp = () => (clock.start ? mmss((Date.now() - clock.start) / 1000) : 'set-up');
const log = (line: string) => {
  const text = `[${stamp()}] ${line}`;
  logLines.push(text);
  console.log(text);
};
const print = (line: string) => console.log(line);

let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    const timer = setTimeout(() => {
      console.error(`soak: shutdown overran ${SHUTDOWN_MS / 1000} s; killing what is left: ${processes.names().join(', ')}`);
      processes.killAllNow();
      process.exit(1);
    }, SHUTDOWN_MS);
    await started.balancer?.close().catch(() => {});
    await processes.stopAll(10_000);
    await started.primary?.close().catch(() => {});
    await started.secondary?.close().catch(() => {});
    clearTimeout(timer);
    if (opts.keep) console.log(`soak: kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  })();
  return cleaning;
}

process.on('exit', () => processes.killAllNow());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping everything the soak started`);
    void cleanUp().finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  log(`the soak overran ${opts.minutes} min + 6 min; abandoning it`);
  void cleanUp().finally(() => process.exit(1));
}, (opts.minutes * 60 + 360) * 1000);
watchdog.unref();

function report(soak: Soak, result: SoakResult): boolean {
  const names = soak.instances.map((i) => i.name);
  const v = verdict(result.rows, result.total, names);
  const chaosOk = result.chaosFailures.length === 0;
  const lines = [...v.lines, `${chaosOk ? 'PASS' : 'FAIL'}  chaos events ${chaosOk ? 'all ran' : `failed: ${result.chaosFailures.join('; ')}`}`];
  const table = [tableHeader(names), ...result.rows.map(tableRow), summaryRow(result.rows, result.total)].join('\n');
  const what = `${opts.minutes} min, ${opts.rate} requests/s, ${names.length} instances behind ${soak.frontName}, rows every ${opts.intervalSeconds} s; config changes by ${soak.repo.mode === 'remote' ? 'the git remote' : 'mirroring into each data directory'}; ${process.version}, ${cpus().length} cores`;
  print(`\n${what}\n\n${table}\n\n${lines.join('\n')}`);
  if (opts.out) {
    writeFileSync(opts.out, `### Soak, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n\n${what}.\n\n${table}\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n\nWhat happened, in order:\n\n\`\`\`\n${logLines.join('\n')}\n\`\`\`\n`);
    console.log(`soak: the table is in ${opts.out}`);
  }
  return v.pass && chaosOk;
}

let code = 2;
try {
  log(`soak: ${opts.minutes} min at ${opts.rate} requests/s, ${opts.instances} instances, ${opts.nginx ? 'nginx' : 'in-script balancer'}; working in ${dir}`);
  let setUpTimer: NodeJS.Timeout | undefined;
  const soak = await Promise.race([
    setUp(opts, dir, processes, started, log),
    new Promise<never>((_, fail) => (setUpTimer = setTimeout(() => fail(new Error(`set-up took over ${SET_UP_MS / 1000} s`)), SET_UP_MS))),
  ]).finally(() => clearTimeout(setUpTimer));
  const result = await runSoak(opts, soak, print, log, clock);
  code = report(soak, result) ? 0 : 1;
} catch (err) {
  log(`soak failed: ${(err as Error).stack ?? err}`);
  if (!opts.keep) console.log(`(run with --keep to keep the instances' logs in ${dir})`);
} finally {
  await cleanUp();
}
process.exit(code);
