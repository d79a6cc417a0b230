import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { mergePatch, newFileText, ordered, readDocument, syncDocument, valueOf, writeDocument } from '../../../server/api/admin/yaml-edit.ts';
import { caughtSync } from '../../helpers/caught.ts';

describe('mergePatch (RFC 7396)', () => {
  it('merges objects, replaces arrays and scalars, deletes on null', () => {
    const target = { a: 1, b: { c: 2, d: 3 }, e: [1, 2], f: 'x' };
    expect(mergePatch(target, { b: { c: null, g: 4 }, e: [3], f: null, h: true })).toEqual({ a: 1, b: { d: 3, g: 4 }, e: [3], h: true });
    expect(target).toEqual({ a: 1, b: { c: 2, d: 3 }, e: [1, 2], f: 'x' });
    expect(mergePatch({ a: 1 }, 'x')).toBe('x');
    expect(mergePatch('x', { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  });
});

describe('YAML editing', () => {
  const FILE = `# yaml-language-server: $schema=../.sil/schemas/binding.schema.json
# the main chat binding
name: chat
environment: prod # never dev
protocol: openai-chat
targets:
  # primary first
  - provider: openai-main
    model: gpt-4o
  - provider: anthropic-main
failover:
  on: [timeout, "5xx"]
`;

  it('changes only what differs: comments, order and untouched nodes stay', () => {
    const doc = readDocument('bindings/chat.yaml', FILE);
    const value = valueOf(doc);
    syncDocument(doc, { ...value, targets: [{ provider: 'openai-main', model: 'gpt-4o-mini' }, { provider: 'anthropic-main' }], strategy: 'priority' });
    const out = writeDocument('bindings/chat.yaml', doc);
    expect(out).toContain('# the main chat binding\nname: chat\nenvironment: prod # never dev\n');
    expect(out).toContain('  # primary first\n  - provider: openai-main\n    model: gpt-4o-mini\n');
    expect(out).toContain('on: [timeout, "5xx"]');
    expect(out.trimEnd().endsWith('strategy: priority')).toBe(true);
    expect(parse(out).targets[0].model).toBe('gpt-4o-mini');
  });

  it('removes fields that are gone and leaves an unchanged document byte for byte', () => {
    const doc = readDocument('bindings/chat.yaml', FILE);
    syncDocument(doc, valueOf(doc));
    expect(writeDocument('bindings/chat.yaml', doc)).toBe(FILE);
    const { failover: _f, ...rest } = valueOf(doc);
    syncDocument(doc, rest);
    expect(writeDocument('bindings/chat.yaml', doc)).not.toContain('failover');
  });

  it('writes new files with the $schema line, ids first; JSON files as JSON', () => {
    const text = newFileText('providers/openai-main.yaml', 'provider.schema.json', ordered({ name: 'OpenAI', id: 'openai-main', environment: 'prod' }, ['id']));
    expect(text).toBe('# yaml-language-server: $schema=../.sil/schemas/provider.schema.json\nid: openai-main\nname: OpenAI\nenvironment: prod\n');
    expect(JSON.parse(newFileText('providers/x.json', 'provider.schema.json', { id: 'x' }))).toEqual({ id: 'x' });
    const doc = readDocument('policies/p.json', '{"name": "p"}');
    syncDocument(doc, { name: 'p', budget: { amount: 1, period: 'day' } });
    expect(JSON.parse(writeDocument('policies/p.json', doc))).toEqual({ name: 'p', budget: { amount: 1, period: 'day' } });
  });

  it('quotes strings that would read as other types', () => {
    const text = newFileText('bindings/b.yaml', 'binding.schema.json', { on: ['429', 'true', '1e3'] });
    expect(parse(text).on).toEqual(['429', 'true', '1e3']);
  });

  it('refuses files that are not a mapping or not parseable', () => {
    expect(caughtSync(() => readDocument('a.yaml', '- 1\n')).code).toBe('SIL_CONFIG_NOT_MAPPING');
    expect(caughtSync(() => readDocument('a.yaml', 'a: [\n')).code).toBe('SIL_CONFIG_YAML');
    expect(caughtSync(() => readDocument('a.json', '{')).code).toBe('SIL_CONFIG_YAML');
  });
});
