// Events the hub derives from config loads: config.applied / config.rejected for each commit,
// and key.rotated when a provider's default key changed between two live snapshots (whoever
// rotated it: the console, the CLI, key maintenance or a pushed commit). Pure comparisons here;
// main.ts calls them from the live config's events.
import type { ConfigSnapshot } from '../config/snapshot.ts';

export interface KeyRotation {
  provider: string;
  environment: string;
  keyId: string;
  fingerprint: string;
  previousKeyId: string;
  previousFingerprint: string;
}

/** Providers (only: not webhook secrets) whose active default key is another key, or the same key with another secret, in `next`. */
export function rotatedKeys(prev: ConfigSnapshot | null | undefined, next: ConfigSnapshot): KeyRotation[] {
  if (!prev) return [];
  const out: KeyRotation[] = [];
  for (const [id, ring] of next.keyrings) {
    // The keyrings also hold outgoing webhooks' signing secrets (`webhook-<name>`): not provider keys.
    if (!next.providers.has(id)) continue;
    const now = ring.defaultKey;
    const before = prev.keyrings.get(id)?.defaultKey;
    if (!now || !before) continue;
    if (now.id === before.id && now.fingerprint === before.fingerprint) continue;
    out.push({ provider: id, environment: next.providers.get(id)?.environment ?? '', keyId: now.id, fingerprint: now.fingerprint ?? '', previousKeyId: before.id, previousFingerprint: before.fingerprint ?? '' });
  }
  return out;
}
