// The limits as the hub runs them: the in-memory counter store loaded from
// data/state/limits.json, the limiter over the live config, and the writer that keeps the file
// up to date. With the cluster, counts go to Redis when sil.yaml has `redis:` (the in-memory
// store then holds the fallback counts, and is still the one written to the file).
// server/main.ts makes one at start and closes it at hub close.
import { join } from 'node:path';
import type { LiveConfig } from '../config/live-config.ts';
import type { AuditEvent } from '../observe/audit-log.ts';
import { MemoryCounterStore } from './memory-counter-store.ts';
import { CounterFlusher, readCounterFile } from './counter-file.ts';
import { Limiter } from './limiter.ts';
import type { BudgetAlert } from './budget-alerts.ts';
import { SharedCounterStore, type CounterCluster, type SharedStateProblem } from './shared-counter-store.ts';

export interface LimitsRuntimeOptions {
  dataDir: string;
  live: LiveConfig;
  log: (line: string) => void;
  audit?: (event: AuditEvent) => void;
  /** Told of each budget mark crossed (the hub emits `budget.threshold` for it). */
  onBudgetAlert?: (alert: BudgetAlert) => void;
  now?: () => number;
  flushMs?: number;
  /** The hub's cluster (server/cluster): counters are shared through its Redis when it has one. */
  cluster?: CounterCluster;
  /** Told when the shared counters become unusable (a problem) and usable again (null): the hub's alert. */
  onSharedState?: (problem: SharedStateProblem | null) => void;
}

export interface LimitsRuntime {
  limiter: Limiter;
  /** Why the shared counters cannot be used now; null when they can, or without Redis. */
  sharedState(): SharedStateProblem | null;
  /** Writes the counters now (when changed). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function startLimits(opts: LimitsRuntimeOptions): Promise<LimitsRuntime> {
  const now = opts.now ?? Date.now;
  const path = join(opts.dataDir, 'state', 'limits.json');
  const store = new MemoryCounterStore();
  store.load(await readCounterFile(path, opts.log), now());
  const shared = opts.cluster ? new SharedCounterStore(store, opts.cluster, (p) => opts.onSharedState?.(p)) : null;
  const limiter = new Limiter({
    store: shared ?? store,
    now,
    snapshot: () => opts.live.snapshot,
    onBudgetAlert: (a) => {
      opts.audit?.({
        type: 'limit.budget-alert',
        actor: 'system',
        detail: { policy: a.policy, scope: a.scope, percent: a.percent, spent: Math.round(a.spent * 1e6) / 1e6, amount: a.amount, currency: a.currency, periodStart: new Date(a.periodStart).toISOString() },
      });
      opts.onBudgetAlert?.(a);
    },
  });
  const flusher = new CounterFlusher(store, { path, now, log: opts.log, intervalMs: opts.flushMs, onTick: (t) => limiter.sweep(t) });
  flusher.start();
  return {
    limiter,
    sharedState: () => shared?.problem ?? null,
    flush: () => flusher.flush(),
    close: async () => {
      shared?.close();
      await flusher.close();
    },
  };
}
