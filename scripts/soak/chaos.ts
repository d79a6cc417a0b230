// Runs the chaos schedule (schedule.ts) against the live set-up, one event at a time, each
// bounded, each logged with its time and what it took.
import { chaosLabel, type ChaosEvent } from './schedule.ts';
import { untilLive, type Instance } from './instances.ts';
import type { ConfigRepo } from './config-repo.ts';
import type { MockProvider } from './mock-providers.ts';
import type { SoakRedis } from './redis.ts';

export interface ChaosTargets {
  primary: MockProvider;
  repo: ConfigRepo;
  instances: Instance[];
  redis: SoakRedis;
  /** Log a line, stamped with the run's clock. */
  log(line: string): void;
  /** The event has started (for the table's chaos column). */
  mark(label: string): void;
}

const LIVE_WAIT_MS = 30_000;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function waitLive(t: ChaosTargets, commit: string, what: string): Promise<void> {
  const took = await untilLive(t.instances, commit, LIVE_WAIT_MS);
  t.log(took === null ? `  ${what} ${commit.slice(0, 7)}: NOT live on every instance after ${secs(LIVE_WAIT_MS)} (${(await Promise.all(t.instances.map(async (i) => `${i.name} ${(await i.health()).commit?.slice(0, 7) ?? 'no answer'}`))).join(', ')})` : `  ${what} ${commit.slice(0, 7)} live on every instance after ${secs(took)} (${t.repo.mode})`);
}

async function until(cond: () => boolean, ms: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (cond()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

export async function runChaos(e: ChaosEvent, t: ChaosTargets): Promise<void> {
  const restarted = t.instances.at(-1)!;
  const label = chaosLabel(e, restarted.name);
  t.mark(label);
  t.log(`chaos: ${label}`);
  const started = Date.now();
  switch (e.kind) {
    case 'outage-503':
      await t.primary.setMode('503');
      break;
    case 'outage-refuse':
      await t.primary.setMode('refuse');
      break;
    case 'outage-end':
      await t.primary.setMode('ok');
      break;
    case 'config-push': {
      const commit = await t.repo.push(e.index, `push ${e.index + 1}`);
      t.log(`  pushed ${commit.slice(0, 7)} in ${secs(Date.now() - started)}`);
      await waitLive(t, commit, 'config push');
      break;
    }
    case 'key-rotation': {
      const { commit, key } = await t.repo.rotateKey();
      t.log(`  sil keys rotate primary: ${commit.slice(0, 7)} in ${secs(Date.now() - started)}`);
      await waitLive(t, commit, 'key rotation');
      const seen = await until(() => (t.primary.keysSeen.get(key.slice(-6)) ?? 0) > 0, LIVE_WAIT_MS);
      t.log(seen === null ? '  the new key has NOT reached the primary' : `  the primary received the new key ${secs(Date.now() - started)} after the rotation began`);
      break;
    }
    case 'instance-restart': {
      await restarted.stop();
      t.log(`  ${restarted.name} stopped (SIGTERM) in ${secs(Date.now() - started)}`);
      await restarted.start();
      t.log(`  ${restarted.name} listening again on ${restarted.port} after ${secs(Date.now() - started)}`);
      break;
    }
    case 'redis-restart': {
      const down = await t.redis.restart();
      t.log(`  redis-server stopped and started again on ${t.redis.port} in ${secs(down)}`);
      const back = Date.now();
      let states: string[] = [];
      while (Date.now() - back < LIVE_WAIT_MS) {
        states = await Promise.all(t.instances.map(async (i) => `${i.name} ${(await i.health()).redis ?? 'no answer'}`));
        if (states.every((s) => s.endsWith(' up'))) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      t.log(`  redis on every instance: ${states.join(', ')} ${secs(Date.now() - back)} after the restart`);
      break;
    }
  }
}
