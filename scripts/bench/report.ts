// The figures of one answer shape: medians per target, sil's and Portkey's overhead over the
// direct path, RSS across rounds, the answers seen, and the goals. Printing only.
import type { RunResult } from './messages.ts';

export interface Run { result: RunResult; rss: number; cpuUsPerReq: number }
export interface Measured { name: string; runs: Map<number, Run[]> }

export interface Goals {
  shape: string;
  throughput: { ratio: number; sil: number; portkey: number; met: boolean | null };
  p99: { ratio: number; sil: number; portkey: number; met: boolean | null };
  added: { ms: number; met: boolean | null };
  rssFlat: boolean | null;
  rssBelow: { sil: number; portkey: number; met: boolean | null };
  allOk: boolean;
}

export const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
export const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
export const codes = (r: RunResult) => {
  const c = Object.entries(r.statusCodes).map(([k, v]) => `${k}×${v}`).join(', ') || 'no answers';
  const extra = [r.errors ? `${r.errors} errors` : '', r.timeouts ? `${r.timeouts} timeouts` : ''].filter(Boolean).join(', ');
  return extra ? `${c}; ${extra}` : c;
};

type Key = 'rps' | 'p50' | 'p99' | 'cpu';
const med = (t: Measured | undefined, c: number, k: Key) => (t ? median((t.runs.get(c) ?? []).map((x) => (k === 'cpu' ? x.cpuUsPerReq : x.result[k]))) : NaN);

/**
 * --usage-store both: what recording into the usage store costs, from the same rounds of sil
 * with it and sil without it (goal: at most 5 % of throughput).
 */
export function recordingCost(shape: string, targets: Measured[], conns: number): boolean | null {
  const on = targets.find((t) => t.name === 'sil');
  const off = targets.find((t) => t.name === 'sil-off');
  if (!on || !off) return null;
  const loss = 1 - med(on, conns, 'rps') / med(off, conns, 'rps');
  const perRound = (on.runs.get(conns) ?? []).map((x, i) => 1 - x.result.rps / (off.runs.get(conns)?.[i]?.result.rps ?? NaN));
  const met = loss <= 0.05;
  console.log(
    `  ${met ? 'MET ' : 'MISS'} [${shape}] usage store's cost ≤ 5 % of throughput: ${f(100 * loss, 1)} % (${f(med(on, conns, 'rps'), 0)} vs ${f(med(off, conns, 'rps'), 0)} req/s without it; per round ${perRound.map((x) => f(100 * x, 1)).join(', ')} %); ` +
      `cpu ${f(med(on, conns, 'cpu'), 0)} vs ${f(med(off, conns, 'cpu'), 0)} µs/req`,
  );
  return met;
}

/** Prints the shape's report and returns its goals. `conns` is the many-connection count. */
export function report(shape: string, targets: Measured[], conns: number, rounds: number, duration: number): Goals {
  console.log(`\n[${shape}] medians of ${rounds} rounds of ${duration} s`);
  for (const t of targets) {
    for (const c of [conns, 1]) console.log(`  ${t.name.padEnd(7)} ${String(c).padStart(3)} conn: ${f(med(t, c, 'rps'), 0).padStart(6)} req/s  p50 ${f(med(t, c, 'p50'), 3).padStart(7)} ms  p99 ${f(med(t, c, 'p99'), 3).padStart(7)} ms  cpu ${f(med(t, c, 'cpu'), 0).padStart(4)} µs/req (target process)`);
  }
  const byName = new Map(targets.map((t) => [t.name, t]));
  const direct = byName.get('direct');
  for (const name of ['sil', 'portkey']) {
    const t = byName.get(name);
    if (!t || !direct) continue;
    const perRound = (t.runs.get(1) ?? []).map((x, i) => x.result.p50 - (direct.runs.get(1)?.[i]?.result.p50 ?? NaN));
    console.log(
      `  ${name} over direct: at ${conns} conn ${f((100 * med(t, conns, 'rps')) / med(direct, conns, 'rps'), 0)} % of direct's req/s, p99 +${f(med(t, conns, 'p99') - med(direct, conns, 'p99'), 3)} ms; ` +
        `at 1 conn p50 +${f(med(t, 1, 'p50') - med(direct, 1, 'p50'), 3)} ms (per round: ${perRound.map((x) => f(x, 3)).join(', ')} ms)`,
    );
  }

  // RSS is read after each round (many connections, then 1). Flat = no round more than 10 % above
  // the first; a drop (the collector giving memory back) is not growth.
  const rss = new Map<string, { max: number; flat: boolean }>();
  for (const t of targets) {
    const all = [conns, 1].flatMap((c) => (t.runs.get(c) ?? []).map((x) => x.rss));
    const flat = all.length > 0 && Math.max(...all) <= 1.1 * all[0];
    rss.set(t.name, { max: Math.max(...all), flat });
    console.log(`  rss ${t.name.padEnd(7)} ${all.map((x) => f(x, 1)).join(' → ')} MB: ${flat ? 'flat' : `NOT flat (max +${f((100 * (Math.max(...all) - all[0])) / all[0], 0)} %)`}`);
  }

  let allOk = false; // until sil answered all 200
  for (const t of targets) {
    const total: Record<string, number> = {};
    let errors = 0;
    for (const runs of t.runs.values()) {
      for (const { result } of runs) {
        for (const [k, v] of Object.entries(result.statusCodes)) total[k] = (total[k] ?? 0) + v;
        errors += result.errors + result.timeouts;
      }
    }
    const all = Object.values(total).reduce((a, b) => a + b, 0);
    const ok = all > 0 && total['200'] === all && errors === 0;
    if (t.name === 'sil') allOk = ok;
    const bytes = median([...t.runs.values()].flat().map((r) => r.result.bytesPerAnswer));
    console.log(`  answers ${t.name.padEnd(7)} ${all}: ${Object.entries(total).map(([k, v]) => `${k}×${v}`).join(', ')}; errors+timeouts ${errors}; ${f(bytes, 0)} bytes each${ok ? '' : ' — NOT all 200'}`);
  }

  const s = byName.get('sil');
  const p = byName.get('portkey');
  const tx = med(s, conns, 'rps') / med(p, conns, 'rps');
  const pr = med(s, conns, 'p99') / med(p, conns, 'p99');
  const added = med(s, 1, 'p50') - med(direct, 1, 'p50');
  const sr = rss.get('sil');
  const pk = rss.get('portkey');
  const goals: Goals = {
    shape,
    throughput: { ratio: tx, sil: med(s, conns, 'rps'), portkey: med(p, conns, 'rps'), met: p && s ? tx >= 4 : null },
    p99: { ratio: pr, sil: med(s, conns, 'p99'), portkey: med(p, conns, 'p99'), met: p && s ? pr <= 0.25 : null },
    added: { ms: added, met: s && direct ? added <= 0.3 : null },
    rssFlat: sr ? sr.flat : null,
    rssBelow: { sil: sr?.max ?? NaN, portkey: pk?.max ?? NaN, met: sr && pk ? sr.max < pk.max : null },
    allOk,
  };
  const line = (label: string, value: string, met: boolean | null) => console.log(`  ${met === null ? 'n/a ' : met ? 'MET ' : 'MISS'} ${label}: ${value}`);
  console.log(`[${shape}] goals (medians)`);
  line(`throughput at ${conns} connections ≥ 4× Portkey's`, `${f(tx)}× (${f(goals.throughput.sil, 0)} vs ${f(goals.throughput.portkey, 0)} req/s)`, goals.throughput.met);
  line(`p99 at ${conns} connections ≤ ¼ of Portkey's`, `${f(pr, 3)} (${f(goals.p99.sil, 3)} vs ${f(goals.p99.portkey, 3)} ms)`, goals.p99.met);
  line('added latency over direct at 1 connection ≤ 0.3 ms', `${f(added, 3)} ms`, goals.added.met);
  line('RSS flat across rounds', sr ? (sr.flat ? 'flat' : 'not flat') : 'n/a', goals.rssFlat);
  line("RSS below Portkey's", `max ${f(goals.rssBelow.sil, 1)} vs ${f(goals.rssBelow.portkey, 1)} MB`, goals.rssBelow.met);
  return goals;
}

/** The goals of every shape as one table (Markdown, as docs/benchmarks.md keeps it). */
export function summaryTable(all: Goals[], conns: number): string {
  const m = (met: boolean | null) => (met === null ? 'n/a' : met ? 'MET' : 'MISS');
  const rows = all.map((g) =>
    `| ${g.shape} | ${f(g.throughput.sil, 0)} vs ${f(g.throughput.portkey, 0)} = **${f(g.throughput.ratio)}×** ${m(g.throughput.met)} | ${f(g.p99.sil, 2)} vs ${f(g.p99.portkey, 2)} ms = **${f(g.p99.ratio, 3)}** ${m(g.p99.met)} | **${f(g.added.ms, 3)} ms** ${m(g.added.met)} | ${g.rssFlat === null ? 'n/a' : g.rssFlat ? 'flat' : 'NOT flat'}, ${f(g.rssBelow.sil, 0)} vs ${f(g.rssBelow.portkey, 0)} MB ${m(g.rssBelow.met)} | ${g.allOk ? 'all 200' : 'NOT all 200'} |`,
  );
  return [
    `| upstream | req/s at ${conns} conn, sil vs Portkey (≥ 4×) | p99 at ${conns} conn (≤ ¼) | added p50 at 1 conn (≤ 0.3 ms) | RSS (flat, below Portkey's) | sil's answers |`,
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
