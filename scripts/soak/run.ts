// The soak itself: steady load through the front, the chaos schedule, and one table row per
// interval (requests by outcome, latency percentiles, each instance's RSS, the chaos events).
import { runChaos } from './chaos.ts';
import { Load } from './load.ts';
import { rssMb } from './processes.ts';
import { chaosSchedule } from './schedule.ts';
import { IntervalStats } from './stats.ts';
import { mmss, tableHeader, tableRow, type Row } from './table.ts';
import type { SoakOptions } from './options.ts';
import type { Soak } from './setup.ts';

/** A request without its whole answer after this long is lost. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Each chaos event is given this long (an instance restart is the slowest). */
const CHAOS_EVENT_MS = 120_000;

export interface SoakResult { rows: Row[]; total: IntervalStats; chaosFailures: string[] }

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, fail) => (timer = setTimeout(() => fail(new Error(`${what} took over ${ms / 1000} s`)), ms)))]).finally(() => clearTimeout(timer));
}

export async function runSoak(opts: SoakOptions, soak: Soak, print: (line: string) => void, log: (line: string) => void, clock: { start: number }): Promise<SoakResult> {
  const runMs = Math.round(opts.minutes * 60_000);
  const intervalMs = opts.intervalSeconds * 1000;
  let current = new IntervalStats();
  let marks: string[] = [];
  const load = new Load({
    baseUrl: soak.front,
    token: soak.token,
    rate: opts.rate,
    maxInFlight: Math.max(64, Math.ceil(opts.rate * 4)),
    timeoutMs: REQUEST_TIMEOUT_MS,
    onOutcome: (_kind, outcome, ms, reason) => current.add(outcome, ms, reason),
    onShed: () => current.shed++,
  });
  const names = soak.instances.map((i) => i.name);
  const schedule = chaosSchedule(runMs);
  const chaosFailures: string[] = [];
  let ended = false;

  clock.start = Date.now();
  const start = clock.start;
  load.start();
  log(`load: ${opts.rate} requests/s (chat 50 %, streamed chat 35 %, /bind 15 %) for ${opts.minutes} min through ${soak.frontName}; ${schedule.length} chaos events at ${schedule.map((e) => mmss(e.atMs / 1000)).join(', ')}`);
  print(tableHeader(names));

  const chaos = (async () => {
    for (const e of schedule) {
      await sleepUntil(start + e.atMs);
      if (ended) return;
      try {
        await bounded(runChaos(e, { primary: soak.primary, repo: soak.repo, instances: soak.instances, redis: soak.redis, log, mark: (label) => marks.push(`${label} (${mmss((Date.now() - start) / 1000)})`) }), CHAOS_EVENT_MS, e.kind);
      } catch (err) {
        chaosFailures.push(`${e.kind}: ${(err as Error).message.split('\n')[0]}`);
        log(`chaos event ${e.kind} FAILED: ${(err as Error).message}`);
      }
    }
  })();

  const rows: Row[] = [];
  const total = new IntervalStats();
  const count = Math.ceil(runMs / intervalMs);
  for (let k = 1; k <= count; k++) {
    const end = start + Math.min(k * intervalMs, runMs);
    await sleepUntil(end);
    if (k === count) {
      ended = true;
      log(`load stopped; waiting (at most ${REQUEST_TIMEOUT_MS / 1000 + 5} s) for ${load.inFlight} requests in flight`);
      await load.stop(REQUEST_TIMEOUT_MS + 5000);
    }
    const row: Row = { endSeconds: (end - start) / 1000, stats: current, rss: soak.instances.map((i) => ({ pid: i.pid, mb: rssMb(i.pid ?? undefined) })), chaos: marks };
    current = new IntervalStats();
    marks = [];
    rows.push(row);
    total.merge(row.stats);
    print(tableRow(row));
    if (row.stats.reasons.size || row.stats.shed) log(`  not ok in this interval: ${row.stats.reasonsText()}${row.stats.shed ? `; shed ${row.stats.shed}` : ''}`);
  }
  await bounded(chaos, CHAOS_EVENT_MS, 'the chaos event under way at the end').catch((err: Error) => chaosFailures.push(err.message));
  return { rows, total, chaosFailures };
}
