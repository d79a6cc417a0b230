// The soak's config repository: two OpenAI-style providers, a failover binding `chat` over both,
// a pass-through binding `raw`, a client with a token and a policy, and sil.yaml's `redis:` and
// `remote:` blocks. Each config push changes one harmless field. Pure.
export interface ConfigInputs {
  tokenHash: string;
  redisUrl: string;
  remoteUrl: string;
  pullIntervalSeconds: number;
  primaryUrl: string;
  secondaryUrl: string;
}

/** The policy's rate limit: far above the soak's rate, so that it never refuses a request. */
export const POLICY_REQUESTS_PER_MINUTE = 100_000;

const failover = '  on: [connect-error, timeout, "429", "5xx"]\n  maxAttempts: 2\n  timeoutMs: 10000\n';
const chatBinding = (description: string) => `name: chat\ndescription: ${JSON.stringify(description)}\nenvironment: prod\nprotocol: openai-chat\nstrategy: priority\ntargets:\n  - { provider: primary, model: gpt-4o-mini }\n  - { provider: secondary, model: gpt-4o-mini }\nfailover:\n${failover}`;
const policy = (requests: number) => `name: soak\ndescription: "the soak's client: a limit it never reaches"\nrateLimit: { requests: ${requests}, per: minute }\n`;

export function configFiles(o: ConfigInputs): Record<string, string> {
  const provider = (id: string, url: string) => `id: ${id}\ntemplate: openai\nname: ${id} (soak mock)\nenvironment: prod\nconnection:\n  baseUrl: ${url}/v1\n`;
  return {
    'sil.yaml': `version: 1\nenvironments: [dev, prod]\nredis:\n  url: ${o.redisUrl}\n  failMode: local\nremote:\n  url: ${o.remoteUrl}\n  pullIntervalSeconds: ${o.pullIntervalSeconds}\n`,
    'providers/primary.yaml': provider('primary', o.primaryUrl),
    'providers/secondary.yaml': provider('secondary', o.secondaryUrl),
    'bindings/chat.yaml': chatBinding('soak: chat with failover'),
    'bindings/raw.yaml': `name: raw\nenvironment: prod\nprotocol: http\ntargets:\n  - { provider: primary, service: api }\n  - { provider: secondary, service: api }\nfailover:\n${failover}`,
    'policies/soak.yaml': policy(POLICY_REQUESTS_PER_MINUTE),
    'clients/soak.yaml': `name: soak\nenvironment: prod\nbindings: ["*"]\npolicy: soak\ntokens:\n  - { id: t1, hash: "${o.tokenHash}", createdAt: "2026-01-01T00:00:00Z" }\n`,
  };
}

/** Config push number `n` (from 0): even ones change the binding's description, odd ones the policy's limit. */
export function configPush(n: number, label: string): { files: Record<string, string>; message: string } {
  if (n % 2 === 0) return { files: { 'bindings/chat.yaml': chatBinding(`soak: chat with failover (${label})`) }, message: `soak: ${label}: bindings/chat description` };
  return { files: { 'policies/soak.yaml': policy(POLICY_REQUESTS_PER_MINUTE + n) }, message: `soak: ${label}: policies/soak rate limit ${POLICY_REQUESTS_PER_MINUTE + n}/minute` };
}
