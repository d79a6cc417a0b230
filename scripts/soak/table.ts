// The soak's table: one Markdown row per interval, a summary row, and the verdict (nothing lost?
// memory flat?). Pure: the rows come in as figures, the text goes out.
import { percentilesOf, type IntervalStats } from './stats.ts';

export interface RssSample {
  /** The instance's process at the sample (a restart makes a new one); null while it was down. */
  pid: number | null;
  mb: number | null;
}

export interface Row {
  /** Seconds from the start of the load to the end of the interval. */
  endSeconds: number;
  stats: IntervalStats;
  /** One sample per instance, in instance order. */
  rss: RssSample[];
  chaos: string[];
}

export const mmss = (seconds: number): string => `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

const ms = (v: number): string => (Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(1) : v.toFixed(0));
const mb = (v: number | null): string => (v === null || Number.isNaN(v) ? 'down' : v.toFixed(0));

export function tableHeader(instances: readonly string[]): string {
  const cols = ['time', 'requests', 'ok', 'errors', 'lost', 'p50 ms', 'p95 ms', 'p99 ms', ...instances.map((n) => `RSS ${n} MB`), 'chaos'];
  return `| ${cols.join(' | ')} |\n|${cols.map((c, i) => (i > 0 && i < cols.length - 1 ? '---:' : '---')).join('|')}|`;
}

export function tableRow(row: Row): string {
  const s = row.stats;
  const p = percentilesOf(s.latencies);
  const cells = [mmss(row.endSeconds), s.requests, s.ok, s.errors, s.lost, ms(p.p50), ms(p.p95), ms(p.p99), ...row.rss.map((r) => mb(r.mb)), row.chaos.join(', ')];
  return `| ${cells.join(' | ')} |`;
}

/** The summary row: every interval together, each instance's highest RSS. */
export function summaryRow(rows: readonly Row[], total: IntervalStats): string {
  const p = percentilesOf(total.latencies);
  const instances = rows[0]?.rss.length ?? 0;
  const maxRss = Array.from({ length: instances }, (_, i) => {
    const values = rows.map((r) => r.rss[i]!.mb).filter((v): v is number => v !== null && !Number.isNaN(v));
    return values.length ? `max ${Math.max(...values).toFixed(0)}` : '–';
  });
  const events = rows.reduce((n, r) => n + r.chaos.length, 0);
  return `| **all** | ${total.requests} | ${total.ok} | ${total.errors} | ${total.lost} | ${ms(p.p50)} | ${ms(p.p95)} | ${ms(p.p99)} | ${maxRss.join(' | ')}${maxRss.length ? ' | ' : ''}${events} events |`;
}

export interface RssGrowth {
  from: number;
  to: number;
  percent: number;
  /** The samples compared belong to a process started during the run (after a restart). */
  restarted: boolean;
}

/**
 * RSS growth of one instance from the second interval to the last, within one process: an
 * instance restarted during the run is judged over the longest life of its processes (the
 * later one on a tie; its second sample to its last); null with fewer than two samples of one
 * process.
 */
export function rssGrowth(samples: readonly RssSample[]): RssGrowth | null {
  const lives: number[][] = [];
  let pid: number | null | undefined;
  for (const s of samples) {
    if (s.pid === null || s.mb === null || Number.isNaN(s.mb)) {
      pid = undefined;
      continue;
    }
    if (s.pid !== pid) lives.push([]);
    pid = s.pid;
    lives.at(-1)!.push(s.mb);
  }
  let best = -1;
  lives.forEach((l, i) => {
    if (best < 0 || l.length >= lives[best]!.length) best = i; // a tie: the later process, the one running now
  });
  const life = lives[best];
  if (!life || life.length < 2) return null;
  const from = life.length >= 3 ? life[1]! : life[0]!;
  const to = life.at(-1)!;
  return { from, to, percent: ((to - from) / from) * 100, restarted: best > 0 };
}

/** RSS may grow this much from the second interval to the last and still count as flat. */
export const RSS_FLAT_PERCENT = 10;

export interface Verdict { pass: boolean; lines: string[] }

export function verdict(rows: readonly Row[], total: IntervalStats, instances: readonly string[]): Verdict {
  const lines: string[] = [];
  const lostOk = total.lost === 0 && total.shed === 0;
  lines.push(`${lostOk ? 'PASS' : 'FAIL'}  lost = ${total.lost}${total.shed ? `, shed by the load (too many in flight) = ${total.shed}` : ''} of ${total.requests} requests (errors, non-2xx answers: ${total.errors})${total.reasons.size ? `; not ok: ${total.reasonsText(8)}` : ''}`);
  let rssOk = true;
  const parts = instances.map((name, i) => {
    const g = rssGrowth(rows.map((r) => r.rss[i]!));
    if (!g) return `${name}: too few samples`;
    if (g.percent > RSS_FLAT_PERCENT) rssOk = false;
    return `${name} ${g.from.toFixed(0)} → ${g.to.toFixed(0)} MB (${g.percent >= 0 ? '+' : ''}${g.percent.toFixed(1)} %${g.restarted ? ', since its restart' : ''})`;
  });
  lines.push(`${rssOk ? 'PASS' : 'FAIL'}  RSS from the second interval to the last (flat: at most +${RSS_FLAT_PERCENT} %): ${parts.join('; ')}`);
  return { pass: lostOk && rssOk, lines };
}
