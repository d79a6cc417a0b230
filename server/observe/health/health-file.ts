// The monitor's history on disk: data/state/health.json — each provider's last status and recent
// probe results, and the status transitions of the last 30 days. Written atomically (temp file,
// fsync, rename) in batches by the monitor, read once at start.
import { readFile } from 'node:fs/promises';
import type { HealthStatus, ProbeResult } from './types.ts';
import type { Transition } from './uptime.ts';
import { writeStateFile } from '../../config/state-file.ts';

export const KEEP_TRANSITIONS_MS = 30 * 86_400_000;
export const MAX_TRANSITIONS = 20_000;
export const MAX_PROBES = 50;
export const MAX_KEY_PROBES = 10;

export interface ProviderRecord {
  status: HealthStatus;
  since: number;
  reason: string;
  /** The provider's own probes (its default key's, or keyless), newest last. */
  probes: ProbeResult[];
  /** Each key's recent probes, newest last. */
  keys: Record<string, ProbeResult[]>;
}

export interface HealthFile {
  version: 1;
  savedAt: number;
  providers: Record<string, ProviderRecord>;
  transitions: Transition[];
}

export const emptyHealthFile = (): HealthFile => ({ version: 1, savedAt: 0, providers: {}, transitions: [] });

export async function readHealthFile(path: string, log: (line: string) => void): Promise<HealthFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`health: cannot read ${path} (${(err as Error).message}); the history starts afresh`);
    return emptyHealthFile();
  }
  try {
    const parsed = JSON.parse(text) as Partial<HealthFile>;
    if (parsed?.version !== 1 || !Array.isArray(parsed.transitions) || typeof parsed.providers !== 'object' || parsed.providers === null) throw new Error('not a version 1 health file');
    return { version: 1, savedAt: Number(parsed.savedAt) || 0, providers: parsed.providers, transitions: parsed.transitions };
  } catch (err) {
    log(`health: ${path} is not a health file sil can read (${(err as Error).message}); the history starts afresh`);
    return emptyHealthFile();
  }
}

/** Drops transitions older than 30 days (keeping each provider's last one, which still holds) and caps the count. */
export function pruneTransitions(all: Transition[], now: number): Transition[] {
  const cut = now - KEEP_TRANSITIONS_MS;
  const lastOld = new Map<string, number>();
  all.forEach((t, i) => {
    if (t.at < cut) lastOld.set(t.provider, i);
  });
  const kept = all.filter((t, i) => t.at >= cut || lastOld.get(t.provider) === i);
  return kept.length > MAX_TRANSITIONS ? kept.slice(kept.length - MAX_TRANSITIONS) : kept;
}

export async function writeHealthFile(path: string, file: HealthFile): Promise<void> {
  await writeStateFile(path, JSON.stringify(file));
}
