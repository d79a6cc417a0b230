// The paths templates use to point into a JSON answer (`body:<path>` usage sources,
// `retryAfterBody`): member names joined by dots, each optionally followed by list selectors —
// `[n]` the n-th item (from 0), `[field=value]` the first item whose `field` is `value` (compared
// as text), e.g. `metrics[metric=num_prompt_tokens].value` for Meta Llama's
// `metrics: [{metric, value, unit}]`. Compiled once per template string. Pure.

export type PathStep = { key: string } | { index: number } | { field: string; value: string };

const NAME = /[A-Za-z0-9_-]/;

/** The steps of `path`, or undefined when it is not written as above. */
export function compilePath(path: string): PathStep[] | undefined {
  const steps: PathStep[] = [];
  let i = 0;
  while (i < path.length) {
    let j = i;
    while (j < path.length && NAME.test(path[j])) j++;
    if (j === i) return undefined;
    steps.push({ key: path.slice(i, j) });
    while (path[j] === '[') {
      const close = path.indexOf(']', j);
      if (close < 0) return undefined;
      const inner = path.slice(j + 1, close);
      const eq = inner.indexOf('=');
      if (/^[0-9]+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (eq > 0 && /^[A-Za-z0-9_-]+$/.test(inner.slice(0, eq)) && eq < inner.length - 1) steps.push({ field: inner.slice(0, eq), value: inner.slice(eq + 1) });
      else return undefined;
      j = close + 1;
    }
    if (j === path.length) break;
    if (path[j] !== '.') return undefined;
    i = j + 1;
    if (i === path.length) return undefined;
  }
  return steps.length > 0 ? steps : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}

/** The value `steps` lead to in `root`, or undefined. */
export function readPath(root: unknown, steps: readonly PathStep[]): unknown {
  let v = root;
  for (const step of steps) {
    if ('key' in step) {
      if (!isObject(v) || Array.isArray(v) || !Object.hasOwn(v, step.key)) return undefined;
      v = v[step.key];
    } else if ('index' in step) {
      if (!Array.isArray(v)) return undefined;
      v = v[step.index];
    } else {
      if (!Array.isArray(v)) return undefined;
      v = v.find((item) => isObject(item) && !Array.isArray(item) && Object.hasOwn(item, step.field) && String(item[step.field]) === step.value);
    }
    if (v === undefined) return undefined;
  }
  return v;
}

const cache = new Map<string, PathStep[] | null>();
const MAX_CACHED = 1024;

/** readPath with the path given as text (compiled once; template strings are few). */
export function pickPath(root: unknown, path: string): unknown {
  let steps = cache.get(path);
  if (steps === undefined) {
    steps = compilePath(path) ?? null;
    if (cache.size < MAX_CACHED) cache.set(path, steps);
  }
  return steps ? readPath(root, steps) : undefined;
}
