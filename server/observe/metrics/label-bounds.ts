// Label values for /metrics, bounded by the live config: a binding, provider or model label is a
// name the config declares, or "other". Callers and providers choose the strings the proxy sees
// (a model name in a request or an answer, a binding that does not exist); without this, each
// new string would be a new time series in Prometheus.
import type { ConfigSnapshot } from '../../config/snapshot.ts';

/** Any value the config does not know. */
export const OTHER = 'other';
/** The label of a part that was never reached (no binding resolved, no attempt made, no model). */
export const NONE = 'none';

/** How many distinct raw model names are remembered per snapshot (each maps to a bounded label). */
const MODEL_CACHE_LIMIT = 1000;

export class LabelBounds {
  readonly #bindings: ReadonlyMap<string, unknown>;
  readonly #providers: ReadonlyMap<string, unknown>;
  readonly #models: ReadonlySet<string>;
  /** Raw model name → label, so the prefix search below runs once per name, not per request. */
  readonly #modelLabels = new Map<string, string>();

  constructor(snapshot: ConfigSnapshot | null) {
    this.#bindings = snapshot?.bindings ?? new Map();
    this.#providers = snapshot?.providers ?? new Map();
    const models = new Set<string>();
    for (const p of snapshot?.providers.values() ?? []) {
      for (const s of p.services) for (const m of s.models.keys()) models.add(m);
    }
    for (const b of snapshot?.bindings.values() ?? []) {
      for (const t of b.targets) if (t.model) models.add(t.model);
    }
    this.#models = models;
  }

  binding(name: string): string {
    if (name === '') return NONE;
    return this.#bindings.has(name) ? name : OTHER;
  }

  provider(id: string | undefined): string {
    if (id === undefined || id === '') return NONE;
    return this.#providers.has(id) ? id : OTHER;
  }

  /**
   * A model the config names keeps its name. A dated or suffixed variant a provider answers with
   * (`gpt-4o-mini-2024-07-18` for `gpt-4o-mini`) is counted under the longest configured name it
   * extends with `-`, `@` or `:`; anything else is "other".
   */
  model(name: string | undefined): string {
    if (name === undefined || name === '') return NONE;
    if (this.#models.has(name)) return name;
    const cached = this.#modelLabels.get(name);
    if (cached !== undefined) return cached;
    let best = '';
    for (const m of this.#models) {
      if (m.length > best.length && name.length > m.length && name.startsWith(m) && '-@:'.includes(name[m.length])) best = m;
    }
    const label = best || OTHER;
    if (this.#modelLabels.size < MODEL_CACHE_LIMIT) this.#modelLabels.set(name, label);
    return label;
  }
}

const bySnapshot = new WeakMap<ConfigSnapshot, LabelBounds>();
const EMPTY = new LabelBounds(null);

/** The bounds of a snapshot, built once per snapshot. */
export function labelBoundsOf(snapshot: ConfigSnapshot | null): LabelBounds {
  if (!snapshot) return EMPTY;
  let bounds = bySnapshot.get(snapshot);
  if (!bounds) bySnapshot.set(snapshot, (bounds = new LabelBounds(snapshot)));
  return bounds;
}

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** `2xx`, `4xx`...; anything outside 100-599 is "other". */
export function statusClass(status: number): string {
  return STATUS_CLASSES[Math.floor(status / 100) - 1] ?? OTHER;
}

/**
 * One attempt's outcome as a label: the status class of the provider's answer (429, the
 * provider's rate limit, on its own: it is what failover most often reacts to), `timeout`,
 * `connect-error`, or "other".
 */
export function attemptOutcome(status: number | undefined, outcome: string): string {
  if (status !== undefined) return status === 429 ? '429' : statusClass(status);
  if (outcome.startsWith('timeout')) return 'timeout';
  if (outcome === 'connect-error') return 'connect-error';
  return OTHER;
}
