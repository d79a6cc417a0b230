// Bounded waits for tests that watch other processes: poll a condition, or ask /healthz once on
// a connection of its own (no pooled socket stays open afterwards).
import { get } from 'node:http';

export async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** GET /healthz with `Connection: close`: its status and how long it took. */
export function healthzOnce(url: string, timeoutMs = 5000): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((ok, fail) => {
    const req = get(`${url}/healthz`, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => ok({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error(`/healthz did not answer within ${timeoutMs} ms`)));
    req.on('error', fail);
  });
}
