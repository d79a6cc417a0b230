// What the hub does about keys on its own, on a timer: revokes retiring keys at the end of
// their grace period (at the provider first where the template has a recipe), and when the
// default key of a provider is due for rotation, rotates it through the template's recipe, or
// promotes a staged key, or — with neither — reports that the rotation is overdue.
import { SilError } from '../errors.ts';
import { autoRotate, retireAllDueWithRecipes } from './auto-rotate.ts';
import { changeKeys, type VaultContext } from './key-ops.ts';
import { promoteStaged, rotationDueInDays } from './keyring.ts';
import type { FetchLike } from './rotation-recipe.ts';
import type { ConfigSnapshot } from '../config/snapshot.ts';

export interface MaintenanceDeps {
  vault: VaultContext;
  snapshot: () => ConfigSnapshot | null;
  log: (line: string) => void;
  fetch?: FetchLike;
}

const describe = (err: unknown) => (err instanceof SilError ? `${err.message} [${err.code}]` : (err as Error).message);

/** One pass; returns the lines it logged. */
export async function maintainKeys(deps: MaintenanceDeps): Promise<string[]> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    deps.log(line);
  };
  for (const r of await retireAllDueWithRecipes(deps.vault, { fetch: deps.fetch })) {
    if (r.commit) say(`keys: ${r.commit.slice(0, 7)} ${r.message}`);
    for (const f of r.failed) say(`keys: could not revoke ${r.provider}/${f.id} at the provider: ${describe(f.error)}`);
  }
  const snapshot = deps.snapshot();
  if (!snapshot) return lines;
  const now = deps.vault.now();
  const grace = snapshot.settings.defaults.keyRotationGraceDays;
  for (const [id, ring] of snapshot.keyrings) {
    const provider = snapshot.providers.get(id);
    const current = ring.defaultKey;
    if (!provider || !provider.enabled || !current) continue;
    const due = rotationDueInDays(current as Parameters<typeof rotationDueInDays>[0], provider.keyRotationDays, now);
    if (due > 0) continue;
    try {
      if (provider.definition.rotation) {
        const r = await autoRotate(deps.vault, id, { graceDays: grace, fetch: deps.fetch });
        for (const c of r.commits) say(`keys: ${c.commit.slice(0, 7)} ${c.message}`);
        continue;
      }
      const staged = ring.keys.find((k) => k.status === 'staged');
      if (staged) {
        const r = await changeKeys(deps.vault, id, (k, kc) => promoteStaged(k, kc, staged.id, grace));
        if (r) say(`keys: ${r.commit.slice(0, 7)} ${r.change.message}`);
        continue;
      }
      say(`keys: rotation of ${id}/${current.id} is overdue by ${-due} day(s); rotate it with \`sil keys rotate ${id}\` (new secret on stdin) or stage one with \`sil keys add ${id} --staged\``);
    } catch (err) {
      say(`keys: automatic rotation of ${id}/${current.id} failed: ${describe(err)}`);
    }
  }
  return lines;
}

/** The leader lease of several instances (server/cluster/leadership.ts): only the leader maintains keys on its timer. */
export interface MaintenanceLeadership {
  isLeader(): boolean;
  onChange(listener: (leader: boolean) => void): () => void;
}

/**
 * Runs maintainKeys soon after start and then every `intervalMs`, one pass at a time. With a
 * `leadership`, the timer passes while this instance does not lead, and an instance that takes
 * the lead runs a pass at once (its predecessor may have stopped before a due rotation).
 * runNow() (the API, the CLI) runs wherever it is called.
 */
export function startKeyMaintenance(deps: MaintenanceDeps, intervalMs: number, firstDelayMs = 5_000, leadership?: MaintenanceLeadership): { stop(): void; runNow(): Promise<string[]> } {
  let running: Promise<string[]> | null = null;
  const run = () => {
    running ??= maintainKeys(deps).catch((err) => {
      deps.log(`keys: maintenance failed: ${describe(err)}`);
      return [];
    }).finally(() => { running = null; });
    return running;
  };
  const onTimer = () => {
    if (!leadership || leadership.isLeader()) void run();
  };
  let gained: NodeJS.Timeout | null = null;
  const off = leadership?.onChange((leader) => {
    if (!leader || gained) return;
    gained = setTimeout(() => {
      gained = null;
      onTimer();
    }, 0);
    gained.unref();
  });
  const first = setTimeout(onTimer, firstDelayMs);
  const timer = setInterval(onTimer, intervalMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      off?.();
      if (gained) clearTimeout(gained);
      clearTimeout(first);
      clearInterval(timer);
    },
    runNow: run,
  };
}
