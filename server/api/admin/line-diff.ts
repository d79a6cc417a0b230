// A unified diff of two texts (Myers' O(ND) algorithm on lines), in git's format, for previews
// of changes that are not commits yet. Past `maxEdits` differing lines it gives up finding the
// shortest script and shows the whole file replaced.

interface Op { t: ' ' | '-' | '+'; line: string }

/** Lines with their terminators: "a\nb" → ["a\n", "b"]. */
function lines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

function shortestScript(a: string[], b: string[], maxD: number): Op[] | null {
  const n = a.length;
  const m = b.length;
  const off = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(n + m, maxD); d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(off - d, off + d + 1));
        return backtrack(trace, a, b);
      }
    }
    trace.push(v.slice(off - d, off + d + 1));
  }
  return null;
}

function backtrack(trace: Int32Array[], a: string[], b: string[]): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d - 1];
    const at = (k: number) => prev[k + d - 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    for (; x > prevX && y > prevY; y--) ops.push({ t: ' ', line: a[--x] });
    if (x === prevX) ops.push({ t: '+', line: b[--y] });
    else ops.push({ t: '-', line: a[--x] });
  }
  for (; x > 0 && y > 0; y--) ops.push({ t: ' ', line: a[--x] });
  return ops.reverse();
}

function render(op: Op): string {
  return op.line.endsWith('\n') ? `${op.t}${op.line}` : `${op.t}${op.line}\n\\ No newline at end of file\n`;
}

/**
 * A git-style unified diff of one file; null stands for "the file does not exist". Returns ''
 * when both sides are equal.
 */
export function unifiedDiff(path: string, before: string | null, after: string | null, opts: { context?: number; maxEdits?: number } = {}): string {
  if (before === after) return '';
  const context = opts.context ?? 3;
  const a = lines(before ?? '');
  const b = lines(after ?? '');
  const ops = shortestScript(a, b, opts.maxEdits ?? 4000) ?? [...a.map((line): Op => ({ t: '-', line })), ...b.map((line): Op => ({ t: '+', line }))];
  let out = `--- ${before === null ? '/dev/null' : `a/${path}`}\n+++ ${after === null ? '/dev/null' : `b/${path}`}\n`;
  const changed = ops.map((o, i) => (o.t === ' ' ? -1 : i)).filter((i) => i >= 0);
  let i = 0;
  while (i < changed.length) {
    const start = Math.max(0, changed[i] - context);
    let end = changed[i];
    while (i < changed.length && changed[i] <= end + 2 * context + 1) end = changed[i++];
    end = Math.min(ops.length, end + context + 1);
    const before_ = ops.slice(0, start);
    const aBefore = before_.filter((o) => o.t !== '+').length;
    const bBefore = before_.filter((o) => o.t !== '-').length;
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.t !== '+').length;
    const bLen = hunk.filter((o) => o.t !== '-').length;
    out += `@@ -${aLen ? aBefore + 1 : aBefore},${aLen} +${bLen ? bBefore + 1 : bBefore},${bLen} @@\n`;
    out += hunk.map(render).join('');
  }
  return out;
}
