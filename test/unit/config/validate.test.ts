import { describe, it, expect } from 'vitest';
import { validateSource } from '../../../server/config/validate.ts';
import { memorySource } from '../../../server/config/sources/memory-source.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { formatIssue } from '../../../server/config/issues.ts';
import { MINIMAL, SETTINGS, OPENAI_MAIN, CHAT_BINDING } from '../../helpers/config-files.ts';

const catalog = projectCatalog().catalog;
const check = (files: Record<string, string | Uint8Array>) => validateSource(memorySource(files), catalog);
const lines = async (files: Record<string, string | Uint8Array>) => (await check(files)).errors.map(formatIssue);

describe('validator', () => {
  it('accepts the minimal config of the GitOps issue', async () => {
    const r = await check(MINIMAL);
    expect(r.errors).toEqual([]);
    expect([...r.model.providers.keys()]).toEqual(['openai-main']);
    expect([...r.model.bindings.keys()]).toEqual(['chat']);
  });

  it('reports bad YAML with the line and column of the problem', async () => {
    const out = await lines({ ...MINIMAL, 'bindings/chat.yaml': 'name: chat\ntargets: [a, b\nenvironment: prod\n' });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^bindings\/chat\.yaml:\d+:\d+: .*\[SIL_CONFIG_YAML\] hint: /);
  });

  it('reports an unknown field at its key', async () => {
    const out = await lines({ ...MINIMAL, 'providers/openai-main.yaml': OPENAI_MAIN + 'colour: blue\n' });
    expect(out).toEqual([expect.stringMatching(/^providers\/openai-main\.yaml:9:1: unknown field "colour" \[SIL_CONFIG_UNKNOWN_FIELD\]/)]);
  });

  it('reports a wrong type at the value', async () => {
    const out = await lines({ ...MINIMAL, 'providers/openai-main.yaml': OPENAI_MAIN.replace('enabled: true', 'enabled: "yes"') });
    expect(out).toEqual([expect.stringMatching(/^providers\/openai-main\.yaml:6:10: enabled: must be boolean \[SIL_CONFIG_SCHEMA\]/)]);
  });

  it('reports an unknown template with a suggestion', async () => {
    const out = await lines({ ...MINIMAL, 'providers/openai-main.yaml': OPENAI_MAIN.replace('template: openai', 'template: opnai') });
    expect(out[0]).toMatch(/^providers\/openai-main\.yaml:3:11: unknown template "opnai" \(did you mean "openai"\?\) \[SIL_CONFIG_UNKNOWN_TEMPLATE\] hint: Run `sil catalog`/);
    // The binding that targets it is not blamed for the provider's error.
    expect(out.filter((l) => l.startsWith('bindings/'))).toEqual([]);
  });

  it('reports a binding target that does not exist', async () => {
    const out = await lines({ ...MINIMAL, 'bindings/chat.yaml': CHAT_BINDING.replace('provider: openai-main', 'provider: openai-backup') });
    expect(out).toEqual([expect.stringMatching(/^bindings\/chat\.yaml:7:15: target provider "openai-backup" does not exist .*\[SIL_CONFIG_REFERENCE\]/)]);
  });

  it('reports a reference across environments', async () => {
    const out = await lines({ ...MINIMAL, 'bindings/chat.yaml': CHAT_BINDING.replace('environment: prod', 'environment: dev') });
    expect(out).toEqual([expect.stringMatching(/^bindings\/chat\.yaml:7:15: target provider "openai-main" is in environment "prod", this binding is in "dev" \[SIL_CONFIG_ENVIRONMENT\]/)]);
  });

  it('reports an environment sil.yaml does not declare', async () => {
    const out = await lines({ ...MINIMAL, 'providers/openai-main.yaml': OPENAI_MAIN.replace('environment: prod', 'environment: staging') });
    expect(out.some((l) => /providers\/openai-main\.yaml:5:14: environment "staging" is not declared/.test(l))).toBe(true);
  });

  it('reports a target that does not speak the binding protocol', async () => {
    const files = {
      ...MINIMAL,
      'providers/stripe-main.yaml': 'id: stripe-main\ntemplate: stripe\nname: Stripe\nenvironment: prod\n',
      'bindings/chat.yaml': CHAT_BINDING.replace('provider: openai-main', 'provider: stripe-main'),
    };
    const out = await lines(files);
    expect(out).toEqual([expect.stringMatching(/^bindings\/chat\.yaml:7:15: target provider "stripe-main" does not speak openai-chat .*\[SIL_CONFIG_PROTOCOL\]/)]);
  });

  it('accepts an adapted protocol: an Anthropic target in an openai-chat binding', async () => {
    const files = {
      ...MINIMAL,
      'providers/anthropic-main.yaml': 'id: anthropic-main\ntemplate: anthropic\nname: Claude\nenvironment: prod\n',
      'bindings/chat.yaml': CHAT_BINDING + '  # second target\n'.slice(0, 0),
    };
    files['bindings/chat.yaml'] = CHAT_BINDING.replace('targets:\n', 'targets:\n  - provider: anthropic-main\n    model: claude-sonnet-4-5\n');
    const r = await check(files);
    expect(r.errors.map(formatIssue)).toEqual([]);
  });

  it('requires ids to match file names and rejects path-like ids', async () => {
    const out = await lines({ ...MINIMAL, 'providers/evil.yaml': OPENAI_MAIN.replace('id: openai-main', 'id: ../../etc') });
    expect(out.join('\n')).toMatch(/providers\/evil\.yaml:2:5: id: does not match the pattern/);
  });

  it('rejects two files with the same id', async () => {
    const out = await lines({ ...MINIMAL, 'providers/openai-main.json': JSON.stringify({ id: 'openai-main', template: 'openai', name: 'x', environment: 'prod' }) });
    expect(out.join('\n')).toMatch(/SIL_CONFIG_DUPLICATE_ID/);
  });

  it('accepts JSON files with positions', async () => {
    const json = '{\n  "id": "openai-main",\n  "template": "openai",\n  "name": "x",\n  "environment": "prod",\n  "extra": 1\n}\n';
    const out = await lines({ ...MINIMAL, 'providers/openai-main.yaml': json });
    expect(out).toEqual([expect.stringMatching(/^providers\/openai-main\.yaml:6:3: unknown field "extra"/)]);
  });

  it('requires sil.yaml', async () => {
    const { 'sil.yaml': _s, ...rest } = MINIMAL;
    expect(await lines(rest)).toEqual([expect.stringMatching(/^sil\.yaml:1:1: sil\.yaml is missing at the root .*\[SIL_CONFIG_MISSING\]/)]);
  });

  it('checks connection values against the template fields', async () => {
    const p = 'id: az\ntemplate: azure-openai\nname: Azure\nenvironment: prod\nconnection:\n  resourceName: my-res\n  colour: red\n';
    const out = await lines({ 'sil.yaml': SETTINGS, 'providers/az.yaml': p });
    expect(out.join('\n')).toMatch(/providers\/az\.yaml:7:3: unknown connection field "colour"/);
  });

  it('reports missing required connection fields', async () => {
    const p = 'id: tw\ntemplate: twilio\nname: Twilio\nenvironment: prod\n';
    const out = await lines({ 'sil.yaml': SETTINGS, 'providers/tw.yaml': p });
    expect(out.join('\n')).toMatch(/providers\/tw\.yaml:1:1: missing connection field "accountSid"/);
  });

  it('validates a custom provider defined inline, without code', async () => {
    const p = `id: acme
name: ACME AI
environment: prod
definition:
  name: ACME AI
  category: Custom
  baseUrl: https://\${connection.host}/v1
  connection:
    host: { title: Host, example: api.acme.test }
  credentials:
    token: { title: Token }
  auth: { type: bearer, token: "\${secret.token}" }
  services:
    - { id: chat, protocol: openai-chat, path: /chat/completions }
connection:
  host: api.acme.test
`;
    const good = await check({ 'sil.yaml': SETTINGS, 'providers/acme.yaml': p });
    expect(good.errors.map(formatIssue)).toEqual([]);
    const bad = await lines({ 'sil.yaml': SETTINGS, 'providers/acme.yaml': p.replace('${secret.token}', '${secret.tokn}') });
    expect(bad).toEqual([expect.stringMatching(/^providers\/acme\.yaml:12:\d+: \$\{secret\.tokn\} is not a declared credential \[SIL_CONFIG_TEMPLATE\]/)]);
  });

  it('checks client references and environments', async () => {
    const c = 'name: web\nenvironment: dev\nbindings: [chat, nope]\npolicy: missing\n';
    const out = await lines({ ...MINIMAL, 'clients/web.yaml': c });
    expect(out).toEqual([
      expect.stringMatching(/^clients\/web\.yaml:3:12: binding "chat" is in environment "prod", this client is in "dev"/),
      expect.stringMatching(/^clients\/web\.yaml:3:18: binding "nope" does not exist/),
      expect.stringMatching(/^clients\/web\.yaml:4:9: policy "missing" does not exist/),
    ]);
  });

  it('rejects files in the wrong place', async () => {
    const out = await lines({ ...MINIMAL, 'providers/nested/x.yaml': OPENAI_MAIN, 'bindings/notes.txt': 'hi' });
    expect(out).toEqual([
      expect.stringMatching(/^bindings\/notes\.txt:1:1: notes\.txt is not a \.yaml/),
      expect.stringMatching(/^providers\/nested:1:1: folders inside providers\/ are not read/),
    ]);
  });

  it('warns, without failing, about a model the catalog does not list', async () => {
    const r = await check({ ...MINIMAL, 'bindings/chat.yaml': CHAT_BINDING.replace('gpt-4o', 'gpt-4oo') });
    expect(r.ok).toBe(true);
    expect(r.warnings.map(formatIssue)).toEqual([expect.stringMatching(/bindings\/chat\.yaml:8:12: warning: model "gpt-4oo" is not in the openai catalog \(did you mean "gpt-4o"\?\)/)]);
  });
});

describe('validator, further rules', () => {
  it('restricts request-time placeholders to where they apply', async () => {
    const p = (extra: string) => `id: acme\nname: ACME\nenvironment: prod\ndefinition:\n  name: ACME\n  category: Custom\n  baseUrl: https://api.acme.test\n  credentials:\n    token: { title: Token }\n  auth: { type: bearer, token: "\${secret.token}" }\n${extra}  services:\n    - { id: chat, protocol: openai-chat, path: "/models/\${model}:chat" }\n`;
    expect((await check({ 'sil.yaml': SETTINGS, 'providers/acme.yaml': p('') })).errors).toEqual([]);
    const bad = await lines({ 'sil.yaml': SETTINGS, 'providers/acme.yaml': p('  headers: { X-Sig: "${signature}" }\n') });
    expect(bad).toEqual([expect.stringMatching(/^providers\/acme\.yaml:11:\d+: placeholder \$\{signature\} cannot be used here \[SIL_CONFIG_TEMPLATE\] hint: use \$\{connection\.<field>\}, \$\{secret\.<credential>\} or \$\{model\}/)]);
  });

  it('treats targets without weight as weight 1 in a weighted binding', async () => {
    const weighted = CHAT_BINDING.replace('strategy: priority', 'strategy: weighted');
    expect((await check({ ...MINIMAL, 'bindings/chat.yaml': weighted })).errors).toEqual([]);
    const none = await lines({ ...MINIMAL, 'bindings/chat.yaml': weighted.replace('model: gpt-4o', 'model: gpt-4o\n    weight: 0') });
    expect(none).toEqual([expect.stringMatching(/^bindings\/chat\.yaml:5:11: strategy weighted: every target has weight 0/)]);
  });

  it('checks notification channel bindings and alert channels', async () => {
    const settings = `${SETTINGS}notifications:\n  channels:\n    - { name: ops-sms, type: sms, binding: sms, to: "+15550100", from: "+15550199" }\n`;
    const policy = 'name: default\nalerts:\n  - { metric: error-rate, threshold: 0.1, channels: [ops-sms, pager] }\n';
    const out = await lines({ ...MINIMAL, 'sil.yaml': settings, 'policies/default.yaml': policy });
    expect(out).toEqual([
      expect.stringMatching(/^policies\/default\.yaml:3:\d+: alert channel "pager" is not declared in sil\.yaml notifications\.channels/),
      expect.stringMatching(/^sil\.yaml:5:\d+: channel "ops-sms" sends through binding "sms", which does not exist/),
    ]);
  });

  it('refuses a channel that could never send: no recipient or sender, or a binding to providers of another kind', async () => {
    const settings = `${SETTINGS}notifications:\n  channels:\n    - { name: ops-mail, type: email, binding: chat }\n    - { name: tg, type: telegram, binding: chat, to: "12345" }\n`;
    const out = await lines({ ...MINIMAL, 'sil.yaml': settings });
    expect(out).toEqual([
      expect.stringMatching(/^sil\.yaml:5:\d+: email channel "ops-mail" has no recipient \(to\) \[SIL_CONFIG_SCHEMA\] hint: add to: <an email address/),
      expect.stringMatching(/^sil\.yaml:5:\d+: email channel "ops-mail" has no sender \(from\)/),
      expect.stringMatching(/^sil\.yaml:5:\d+: email channel "ops-mail" sends through binding "chat", whose target 1 \(openai-main\) is of template openai, not sendgrid or mandrill \[SIL_CONFIG_REFERENCE\]/),
      expect.stringMatching(/^sil\.yaml:6:\d+: telegram channel "tg" sends through binding "chat", whose target 1 \(openai-main\) is of template openai, not telegram/),
    ]);
  });

  it('checks host name and email connection fields', async () => {
    const p = `id: es\nname: ES\nenvironment: prod\ndefinition:\n  name: ES\n  category: Search\n  baseUrl: https://\${connection.host}\n  connection:\n    host: { title: Host, format: hostname }\n    owner: { title: Owner, format: email, optional: true }\n  auth: { type: none }\n  services: [{ id: api, protocol: http }]\nconnection:\n  host: "bad host!"\n  owner: nobody\n`;
    const out = await lines({ 'sil.yaml': SETTINGS, 'providers/es.yaml': p });
    expect(out).toEqual([
      expect.stringMatching(/^providers\/es\.yaml:14:9: connection\.host must be a host name/),
      expect.stringMatching(/^providers\/es\.yaml:15:10: connection\.owner must be an email address/),
    ]);
  });
});

describe('validator, settings', () => {
  it('reports an invalid sil.yaml once, at its own error', async () => {
    const out = await lines({ ...MINIMAL, 'sil.yaml': 'version: 2\nenvironments: [dev, prod]\n' });
    expect(out).toEqual([expect.stringMatching(/^sil\.yaml:1:10: version: must be 1 \[SIL_CONFIG_SCHEMA\]/)]);
  });
});

describe('validator, rotation recipes', () => {
  it('refuses a recipe that extracts no credential or reads a header', async () => {
    const p = `id: acme\nname: ACME\nenvironment: prod\ndefinition:\n  name: ACME\n  category: Custom\n  baseUrl: https://api.acme.test\n  credentials:\n    token: { title: Token }\n  auth: { type: bearer, token: "\${secret.token}" }\n  services: [{ id: api, protocol: http }]\n  rotation:\n    create:\n      request: { method: POST, path: /keys }\n      extract: { tokn: "body:secret", providerKeyId: "header:x-id" }\n    revoke:\n      request: { method: DELETE, path: "/keys/\${key.id}" }\n`;
    const out = await lines({ 'sil.yaml': SETTINGS, 'providers/acme.yaml': p });
    expect(out).toEqual([
      expect.stringMatching(/^providers\/acme\.yaml:15:16: the rotation recipe extracts no credential/),
      expect.stringMatching(/^providers\/acme\.yaml:15:24: rotation extracts "tokn", which is not a credential/),
      expect.stringMatching(/^providers\/acme\.yaml:15:54: rotation reads "providerKeyId" from header: only body: sources are supported/),
    ]);
  });
});
