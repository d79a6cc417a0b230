// The pure pieces of the admin API: input checks, key and provider views, the OpenAPI builder.
import { describe, it, expect } from 'vitest';
import { baseFrom, checkId, onlyFields } from '../../../server/api/admin/call.ts';
import { keyMeta, maskOf } from '../../../server/api/admin/key-view.ts';
import { newProvider, providerSummary, switchService } from '../../../server/api/admin/provider-view.ts';
import { buildOpenApi, componentRef, openApiPath } from '../../../server/api/admin/openapi.ts';
import { ROUTES as TABLE, type RouteSpec } from '../../../server/api/admin/route-table.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { caughtSync } from '../../helpers/caught.ts';
import type { ProviderKey } from '../../../schemas/types.gen.ts';

const C = 'a'.repeat(40);
const ROUTES: readonly RouteSpec[] = TABLE;

describe('request checks', () => {
  it('takes the base from the body, then If-Match, then the query', () => {
    expect(baseFrom({ base: C }, '"b"', 'c')).toBe(C);
    expect(baseFrom({}, `W/"${C}"`, undefined)).toBe(C);
    expect(baseFrom({}, undefined, C)).toBe(C);
    expect(caughtSync(() => baseFrom({}, undefined, undefined)).code).toBe('SIL_BASE_REQUIRED');
    expect(caughtSync(() => baseFrom({ base: 'main' }, undefined, undefined)).code).toBe('SIL_BASE_INVALID');
    expect(caughtSync(() => baseFrom({ base: 42 }, undefined, undefined)).code).toBe('SIL_BASE_INVALID');
  });

  it('accepts only ids that are safe file names', () => {
    expect(checkId('openai-main')).toBe('openai-main');
    for (const bad of ['../x', 'a/b', '.hidden', 'UPPER', '', 'a'.repeat(64), 'x.yaml', 'a\0b', 7]) {
      expect(caughtSync(() => checkId(bad)).code).toBe('SIL_API_ID');
    }
  });

  it('names unknown fields', () => {
    expect(() => onlyFields({ base: C, secret: 'x' }, ['secret'])).not.toThrow();
    expect(caughtSync(() => onlyFields({ secert: 'x' }, ['secret'])).message).toContain('"secert"');
  });
});

describe('key view', () => {
  const key: ProviderKey = { id: 'primary', status: 'active', default: true, created: '2026-01-01T00:00:00Z', fingerprint: 'sha256:0123456789ab...WXYZ', secret: { apiKey: 'ENC[AES256_GCM,data:abc]' } };

  it('copies metadata field by field and never the secret', () => {
    const meta = keyMeta(key, 90, new Date('2026-01-31T00:00:00Z'));
    expect(meta).toEqual({ id: 'primary', status: 'active', default: true, created: '2026-01-01T00:00:00Z', fingerprint: key.fingerprint, mask: '••••WXYZ', rotationDueInDays: 60 });
    expect(JSON.stringify(meta)).not.toContain('ENC[');
  });

  it('masks short keys completely', () => {
    expect(maskOf('sha256:0123456789ab')).toBe('••••');
  });
});

describe('provider view', () => {
  const { catalog } = projectCatalog();
  const openai = catalog.get('openai')!;

  it('names the template as the default name and enables new providers', () => {
    expect(newProvider({ environment: 'prod', id: 'o', template: 'openai' }, 'OpenAI')).toEqual({ id: 'o', template: 'openai', name: 'OpenAI', environment: 'prod', enabled: true });
    expect(Object.keys(newProvider({ connection: {}, id: 'o', name: 'Mine', environment: 'dev', template: 'openai', enabled: false }, 'OpenAI'))).toEqual(['id', 'template', 'name', 'environment', 'enabled', 'connection']);
  });

  it('switches services, leaving nothing behind when switched back on', () => {
    const off = switchService({ id: 'o', services: { chat: { baseUrl: 'https://x' } } }, 'embeddings', false);
    expect(off.services).toEqual({ chat: { baseUrl: 'https://x' }, embeddings: { enabled: false } });
    expect(switchService(switchService({ id: 'o' }, 'chat', false), 'chat', true)).toEqual({ id: 'o' });
  });

  it('says why a provider is an error', () => {
    const p = { id: 'o', template: 'openai', name: 'O', environment: 'prod' };
    const none = providerSummary(p, openai, [], null);
    expect(none.status).toBe('error');
    expect(none.problems[0]).toContain('no active key');
    const keyed = providerSummary(p, openai, [{ id: 'k', status: 'active', default: true, created: '', fingerprint: 'sha256:0123456789ab' }], null);
    expect(keyed).toMatchObject({ status: 'enabled', problems: [], keys: { total: 1, active: 1, default: 'k' }, category: 'AI' });
    const rejected = providerSummary(p, openai, keyed.keys.total ? [{ id: 'k', status: 'active', created: '', fingerprint: 'sha256:0123456789ab' }] : [], {
      commit: 'f'.repeat(40), at: '', errors: [{ file: 'providers/o.yaml', line: 3, column: 1, code: 'SIL_CONFIG_SCHEMA', message: 'bad', hint: 'fix', severity: 'error' }],
    });
    expect(rejected.problems[0]).toMatch(/^commit fffffff was rejected: providers\/o\.yaml:3:1: bad/);
    expect(providerSummary({ ...p, enabled: false }, openai, [], null).status).toBe('disabled');
  });
});

describe('OpenAPI document', () => {
  it('rewrites schema-file refs to components', () => {
    const titles = new Map([['binding.schema.json', 'Binding'], ['provider-template.schema.json', 'ProviderTemplate']]);
    expect(componentRef('#/$defs/protocol', 'provider-template.schema.json', titles)).toBe('#/components/schemas/ProviderTemplate_protocol');
    expect(componentRef('provider-template.schema.json#/$defs/protocol', 'binding.schema.json', titles)).toBe('#/components/schemas/ProviderTemplate_protocol');
    expect(componentRef('provider-template.schema.json', 'binding.schema.json', titles)).toBe('#/components/schemas/ProviderTemplate');
    expect(componentRef('#/properties/name', 'binding.schema.json', titles)).toBe('#/components/schemas/Binding/properties/name');
    expect(() => componentRef('other.json', 'binding.schema.json', titles)).toThrow(/unknown schema file/);
  });

  it('has one route per method and path, unique operation ids, and every schema it names', () => {
    expect(new Set(ROUTES.map((r) => r.op)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(ROUTES.length);
    const doc = buildOpenApi() as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    for (const r of ROUTES) {
      expect(doc.paths[openApiPath(r.path)][r.method]).toBeDefined();
      for (const name of [r.request, r.response].filter((n): n is string => n !== undefined)) expect(doc.components.schemas[name], `${r.op}: ${name}`).toBeDefined();
    }
  });

  it('documents the write protocol on every change', () => {
    const doc = buildOpenApi() as { paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { name: string }[] }>> };
    for (const r of ROUTES.filter((x) => x.method !== 'get')) {
      const op = doc.paths[openApiPath(r.path)][r.method];
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['409', '422', '428']));
      expect(op.parameters?.some((p) => p.name === 'If-Match')).toBe(true);
    }
  });
});
