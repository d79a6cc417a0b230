// Config files used across tests: the minimal valid config of the GitOps issue, and helpers.

export const SETTINGS = `version: 1
environments: [dev, prod]
`;

export const OPENAI_MAIN = `# yaml-language-server: $schema=../.sil/schemas/provider.schema.json
id: openai-main
template: openai
name: OpenAI (main)
environment: prod
enabled: true
connection:
  baseUrl: http://127.0.0.1:9901/v1
`;

export const CHAT_BINDING = `# yaml-language-server: $schema=../.sil/schemas/binding.schema.json
name: chat
environment: prod
protocol: openai-chat
strategy: priority
targets:
  - provider: openai-main
    model: gpt-4o
failover:
  on: [connect-error, timeout, "429", "5xx"]
  maxAttempts: 2
`;

export const MINIMAL: Record<string, string> = {
  'sil.yaml': SETTINGS,
  'providers/openai-main.yaml': OPENAI_MAIN,
  'bindings/chat.yaml': CHAT_BINDING,
};
