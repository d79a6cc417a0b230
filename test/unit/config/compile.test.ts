import { describe, it, expect } from 'vitest';
import { validateSource } from '../../../server/config/validate.ts';
import { compileSnapshot } from '../../../server/config/compile.ts';
import { memorySource } from '../../../server/config/sources/memory-source.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { MINIMAL, SETTINGS } from '../../helpers/config-files.ts';

async function snapshot(files: Record<string, string>) {
  const r = await validateSource(memorySource(files), projectCatalog().catalog);
  expect(r.errors).toEqual([]);
  return compileSnapshot(r.model, r.definitions, { commit: 'c0ffee', loadedAt: '2026-01-01T00:00:00.000Z', warnings: r.warnings });
}

describe('compiled snapshot', () => {
  it('is deeply frozen, maps included', async () => {
    const s = await snapshot(MINIMAL);
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.settings.defaults)).toBe(true);
    expect(() => (s.bindings as Map<string, unknown>).set('x', {})).toThrow(/read-only/);
    const provider = s.providers.get('openai-main')!;
    expect(() => { (provider as { enabled: boolean }).enabled = false; }).toThrow(TypeError);
    expect(() => (provider.services[0].models as Map<string, unknown>).delete('gpt-4o')).toThrow(/read-only/);
  });

  it('applies defaults: settings, failover, connection fields, the chosen service', async () => {
    const s = await snapshot({
      'sil.yaml': SETTINGS,
      'providers/az.yaml': 'id: az\ntemplate: azure-openai\nname: Azure\nenvironment: prod\nconnection:\n  resourceName: contoso\n',
      'providers/claude.yaml': 'id: claude\ntemplate: anthropic\nname: Claude\nenvironment: prod\nservices:\n  openai-compat: { enabled: false }\n',
      'bindings/chat.yaml': 'name: chat\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: az, model: gpt-4o }\n  - { provider: claude, model: claude-sonnet-4-5 }\n',
    });
    expect(s.settings.defaults).toMatchObject({ keyRotationDays: 90, timeoutMs: 30000 });
    const chat = s.bindings.get('chat')!;
    expect(chat.strategy).toBe('priority');
    expect(chat.failover).toMatchObject({ on: ['connect-error', 'timeout', '429', '5xx'], maxAttempts: 2, timeoutMs: 30000, backoffMs: 0 });
    // Azure speaks openai-chat itself; Anthropic's OpenAI-compatible service is off, so the adapted Messages service is used.
    expect(chat.targets.map((t) => [t.provider, t.service])).toEqual([['az', 'chat'], ['claude', 'messages']]);
    const az = s.providers.get('az')!;
    expect(az.baseUrl).toBe('https://contoso.openai.azure.com/openai');
    expect(az.connection.apiVersion).toBeTruthy();
    expect(s.providers.get('claude')!.services.find((x) => x.id === 'messages')!.headers['anthropic-version']).toBe('2023-06-01');
  });

  it('keeps a switched-off service of the right protocol rather than one of another protocol', async () => {
    const s = await snapshot({ ...MINIMAL, 'providers/openai-main.yaml': MINIMAL['providers/openai-main.yaml'] + 'services:\n  chat: { enabled: false }\n' });
    const target = s.bindings.get('chat')!.targets[0];
    expect(target.service).toBe('chat');
    expect(s.providers.get('openai-main')!.services.find((x) => x.id === 'chat')!.enabled).toBe(false);
  });
});
