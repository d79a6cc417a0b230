// The bench's sil process: a fresh data directory whose config repository has, per answer
// shape, a provider `openai-<shape>` at the mock's `/<shape>/v1` and a binding `chat-<shape>`,
// one client with a token, and a key; then the hub. Answers the bench's questions over IPC:
// memory figures and the usage it recorded per binding. `--usage-store off` starts the hub without
// the usage store (data/state/usage), to measure what recording costs.
import { parseArgs } from 'node:util';
import { startBenchHub } from './bench-hub.ts';

const { values } = parseArgs({ options: { dir: { type: 'string' }, upstream: { type: 'string' }, 'usage-store': { type: 'string', default: 'on' } } });
if (values['usage-store'] !== 'on' && values['usage-store'] !== 'off') throw new Error('--usage-store must be on or off');
const dir = values.dir!;
const upstream = values.upstream!;

const { hub, token } = await startBenchHub(dir, upstream, { usageStore: values['usage-store'] === 'on' });

/** Requests and tokens recorded per binding, from the hub's usage recorder. */
function usageByBinding(): Record<string, { requests: number; inputTokens: number; outputTokens: number }> {
  const out: Record<string, { requests: number; inputTokens: number; outputTokens: number }> = {};
  for (const [key, t] of hub.usage.totals) {
    const binding = key.split('|')[1];
    const o = (out[binding] ??= { requests: 0, inputTokens: 0, outputTokens: 0 });
    o.requests += t.requests;
    o.inputTokens += t.inputTokens;
    o.outputTokens += t.outputTokens;
  }
  return out;
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 3000).unref();
  hub.close().finally(() => process.exit(0));
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('message', (m: { type?: string }) => {
  if (m?.type === 'mem') process.send?.({ type: 'mem', usage: process.memoryUsage() });
  if (m?.type === 'usage') process.send?.({ type: 'usage', byBinding: usageByBinding() });
});
process.send?.({ type: 'ready', url: hub.url, token });
