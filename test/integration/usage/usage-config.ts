// A data directory for the usage tests: providers `good` (and `flaky`, which fails first) at a
// mock, bindings `chat` and `failover`, client `web` with a token, a key per provider.
import { join } from 'node:path';
import { makeTestDataDir } from '../../helpers/test-data-dir.ts';

const provider = (id: string, baseUrl: string) => `id: ${id}\ntemplate: openai\nname: ${id}\nenvironment: prod\nconnection:\n  baseUrl: ${baseUrl}\n`;
const binding = (name: string, targets: string[]) =>
  `name: ${name}\nenvironment: prod\nprotocol: openai-chat\ntargets:\n${targets.map((t) => `  - { provider: ${t}, model: gpt-4o-mini }`).join('\n')}\nfailover:\n  on: [connect-error, timeout, "5xx"]\n  maxAttempts: 2\n  timeoutMs: 3000\n`;

/** Creates `<dir>/data` with the config (`settings`: more lines of sil.yaml); answers the data dir and the client token. */
export async function usageDataDir(dir: string, goodUrl: string, flakyUrl: string, timeZone = 'UTC', settings = ''): Promise<{ data: string; token: string }> {
  const data = join(dir, 'data');
  const { token } = await makeTestDataDir(data, {
    'sil.yaml': `version: 1\nenvironments: [dev, prod]\ntimeZone: ${timeZone}\n${settings}`,
    'providers/good.yaml': provider('good', `${goodUrl}/v1`),
    'providers/flaky.yaml': provider('flaky', `${flakyUrl}/v1`),
    'bindings/chat.yaml': binding('chat', ['good']),
    'bindings/failover.yaml': binding('failover', ['flaky', 'good']),
  }, { good: { apiKey: `sk-proj-${'g'.repeat(40)}` }, flaky: { apiKey: `sk-proj-${'f'.repeat(40)}` } }, 'usage test config');
  return { data, token };
}
