// Durations as OpenAI's x-ratelimit-reset-* headers write them (Go's duration format): "12ms",
// "1s", "6m0s", "1h2m3s". Pure.

/** A wait in milliseconds as a reset duration: under a second in whole ms, else in whole seconds (rounded up). */
export function resetDuration(ms: number): string {
  if (!(ms > 0)) return '0s';
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** Retry-After in whole seconds, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
