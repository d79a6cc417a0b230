// Counts repeated events (refused connections, accept errors) and reports them at most once per
// interval, so that a flood of them cannot become a flood of log lines.
export type TallyReport = (count: number, sinceMs: number) => void;

/** The first event is reported at once; later ones as a count with the first event after the interval. */
export function tally(intervalMs: number, now: () => number, report: TallyReport): () => void {
  let last = Number.NEGATIVE_INFINITY;
  let count = 0;
  return () => {
    count++;
    const t = now();
    if (t - last < intervalMs) return;
    report(count, last === Number.NEGATIVE_INFINITY ? 0 : t - last);
    count = 0;
    last = t;
  };
}
