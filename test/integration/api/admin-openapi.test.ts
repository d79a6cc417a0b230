// /api/openapi.json: valid JSON, OpenAPI 3.1, every mounted route described, every $ref
// resolving, every schema compiling as JSON Schema 2020-12, and real answers matching it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { startAdminApp, type AdminApp } from '../../helpers/admin-app.ts';

type Doc = { openapi: string; paths: Record<string, Record<string, { operationId: string; parameters?: { name: string; in: string }[] }>>; components: { schemas: Record<string, unknown> } };

function pointer(doc: unknown, ref: string): unknown {
  let node = doc;
  for (const part of ref.slice(2).split('/').map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))) {
    if (typeof node !== 'object' || node === null || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function refsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, out));
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

describe('admin API: /api/openapi.json', () => {
  let app: AdminApp;
  let doc: Doc;
  let text: string;
  beforeAll(async () => {
    app = await startAdminApp();
    const res = await app.api('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    text = res.text;
    doc = JSON.parse(text);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('is OpenAPI 3.1 with the config schemas as components', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const name of ['ProviderInstance', 'ProviderTemplate', 'ProviderTemplate_authBearer', 'Binding', 'Policy', 'Client', 'HubSettings', 'SecretsFile', 'SecretsFile_key']) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    expect(text).not.toContain('"$defs"');
    expect(text).not.toContain('.schema.json');
  });

  it('describes every mounted route, with its path parameters', () => {
    const mounted = app.router.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => ({ method: m.toLowerCase(), path: String(layer.path) })));
    expect(mounted.length).toBeGreaterThan(40);
    for (const { method, path } of mounted) {
      const op = doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method];
      expect(op, `${method.toUpperCase()} ${path} is not in openapi.json`).toBeDefined();
      for (const [, name] of path.matchAll(/:(\w+)/g)) expect(op.parameters?.some((p) => p.in === 'path' && p.name === name)).toBe(true);
    }
    const described = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(described).toBe(mounted.length);
  });

  it('has every $ref resolving and every schema compiling', () => {
    for (const ref of refsOf(doc)) expect(pointer(doc, ref), ref).toBeDefined();
    const ajv = new Ajv2020({ strict: false, allErrors: true, discriminator: true });
    (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
    ajv.addSchema({ ...doc, $id: 'https://sil.test/openapi.json' });
    for (const name of Object.keys(doc.components.schemas)) {
      expect(ajv.getSchema(`https://sil.test/openapi.json#/components/schemas/${name}`), name).toBeTypeOf('function');
    }
  });

  it('matches real answers', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, discriminator: true });
    (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
    ajv.addSchema({ ...doc, $id: 'https://sil.test/openapi.json' });
    const check = (schema: string, body: unknown) => {
      const validate = ajv.getSchema(`https://sil.test/openapi.json#/components/schemas/${schema}`)!;
      expect(validate(body), `${schema}: ${JSON.stringify(validate.errors)}`).toBe(true);
    };
    let base = await app.base();
    const add = await app.api('POST', '/api/providers', { base, provider: { id: 'openai-main', template: 'openai', environment: 'prod' } });
    check('WriteResult', add.body);
    base = add.body.commit;
    const key = await app.api('POST', '/api/providers/openai-main/keys', { base, secret: `sk-${'k'.repeat(37)}` });
    check('KeyWriteResult', key.body);
    check('ProviderList', (await app.api('GET', '/api/providers')).body);
    check('ProviderDetail', (await app.api('GET', '/api/providers/openai-main')).body);
    check('KeyList', (await app.api('GET', '/api/providers/openai-main/keys')).body);
    check('CatalogList', (await app.api('GET', '/api/catalog')).body);
    check('CatalogTemplate', (await app.api('GET', '/api/catalog/aws-bedrock')).body);
    check('SettingsDetail', (await app.api('GET', '/api/settings')).body);
    check('EnvironmentList', (await app.api('GET', '/api/environments')).body);
    check('ConfigStatus', (await app.api('GET', '/api/status')).body);
    check('Error', (await app.api('GET', '/api/providers/nope')).body);
  });
});
