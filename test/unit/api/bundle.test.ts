// The bundle format without servers: paths, parsing YAML and JSON, plaintext secrets refused.
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import {
  buildBundle, bundleFromValue, entryText, parseBundle, parseSections, pathProblem, plaintextProblem, sectionOf, serializeBundle, SECTIONS,
} from '../../../server/api/admin/bundle.ts';
import { caughtSync } from '../../helpers/caught.ts';
import { MINIMAL } from '../../helpers/config-files.ts';

const ENC = 'ENC[AES256_GCM,data:abcd,iv:MTIzNDU2Nzg5MDEyMzQ1Ng==,tag:MTIzNDU2Nzg5MDEyMzQ1Ng==,type:str]';
const SOPS = `sops:\n  age:\n    - recipient: age1xyz\n      enc: |\n        -----BEGIN AGE ENCRYPTED FILE-----\n        YWdl\n        -----END AGE ENCRYPTED FILE-----\n  lastmodified: "2025-01-01T00:00:00Z"\n  mac: ${ENC}\n  encrypted_regex: ^secret$\n  version: 3.9.0\n`;
const encrypted = `keys:\n  - id: primary\n    status: active\n    secret:\n      apiKey: ${ENC}\n${SOPS}`;
const KEY = `sk-proj-${'Z'.repeat(40)}`;

describe('bundle paths', () => {
  it('accepts sil.yaml and <folder>/<id>.yaml|.yml|.json in the config folders', () => {
    expect(sectionOf('sil.yaml')).toBe('settings');
    expect(sectionOf('providers/openai-main.yaml')).toBe('providers');
    expect(sectionOf('secrets/openai-main.yaml')).toBe('secrets');
    expect(sectionOf('bindings/chat.json')).toBe('bindings');
    expect(sectionOf('webhooks/ops.yml')).toBe('webhooks');
    expect(pathProblem('clients/billing.yaml')).toBeNull();
  });

  it.each([
    ['../etc/passwd.yaml', /\.\. segments/],
    ['providers/../../x.yaml', /\.\. segments/],
    ['/etc/sil.yaml', /absolute/],
    ['C:/x/sil.yaml', /absolute/],
    ['providers\\x.yaml', /backslash/],
    ['providers/x.txt', /not a \.yaml, \.yml or \.json/],
    ['.sops.yaml', /only file a bundle holds at the top level/],
    ['hooks/pre-receive.yaml', /"hooks\/" is not a config folder/],
    ['providers/sub/x.yaml', /one level deep/],
    ['providers/.hidden.yaml', /one level deep/],
    ['', /empty/],
  ])('refuses %s', (path, why) => {
    expect(sectionOf(path)).toBeNull();
    expect(pathProblem(path)).toMatch(why);
  });

  it('parses include lists and names unknown sections', () => {
    expect(parseSections(undefined)).toEqual([...SECTIONS]);
    expect(parseSections('bindings, providers')).toEqual(['providers', 'bindings']);
    const e = caughtSync(() => parseSections('providers,keys'));
    expect(e.code).toBe('SIL_API_INPUT');
    expect(e.message).toContain('"keys"');
  });
});

describe('plaintext secrets', () => {
  it('passes a SOPS file whose secret values are all ENC[...]', () => {
    expect(plaintextProblem(encrypted)).toBeNull();
  });

  it('refuses a file without sops metadata, without quoting the value', () => {
    const p = plaintextProblem(`keys:\n  - id: primary\n    status: active\n    secret:\n      apiKey: ${KEY}\n`);
    expect(p).toMatch(/no sops: block/);
    expect(p).not.toContain(KEY);
  });

  it('refuses a SOPS file with a value in clear, naming where it is', () => {
    const p = plaintextProblem(encrypted.replace(`apiKey: ${ENC}`, `apiKey: ${KEY}\n      org: ${ENC}`));
    expect(p).toBe('keys[0].secret.apiKey is not encrypted');
    expect(plaintextProblem('not: [valid')).toMatch(/cannot be read/);
    expect(plaintextProblem('- a list')).toMatch(/not a SOPS file/);
  });
});

describe('bundle documents', () => {
  const files = new Map(Object.entries({ ...MINIMAL, 'secrets/openai-main.yaml': encrypted }));
  const bundle = buildBundle({ commit: 'a'.repeat(40), exportedAt: new Date('2025-06-01T10:00:00Z'), include: [...SECTIONS], secrets: 'encrypted', files });

  it('round-trips YAML and JSON with every file byte for byte', () => {
    for (const format of ['yaml', 'json'] as const) {
      const text = serializeBundle(bundle, format);
      const parsed = parseBundle(text, format === 'json' ? 'application/json' : 'application/yaml');
      expect(parsed.files).toEqual(Object.fromEntries(files));
      expect(parsed.commit).toBe('a'.repeat(40));
      expect(parsed.secrets).toBe('encrypted');
    }
    const yaml = serializeBundle(bundle, 'yaml');
    expect(yaml).toMatch(/^# sil config bundle/);
    expect(parse(yaml)).toMatchObject({ sil: 1, exportedAt: '2025-06-01T10:00:00.000Z' });
  });

  it('takes a mapping as a file\'s content and writes it as YAML or JSON', () => {
    expect(entryText('bindings/x.json', { name: 'x' })).toBe('{\n  "name": "x"\n}\n');
    expect(entryText('bindings/x.yaml', { name: 'x' })).toBe('name: x\n');
    expect(entryText('bindings/x.yaml', 42)).toBeNull();
    expect(entryText('bindings/x.yaml', ['a'])).toBeNull();
  });

  it.each([
    ['', /empty/],
    ['hello: world\n', /no `sil: 1`/],
    ['sil: 2\nfiles: {}\n', /version 2 is not supported/],
    ['sil: 1\nfiles: [a]\n', /`files:` must map/],
    ['sil: 1\nfiles: {}\ninclude: [keys]\n', /unknown section "keys"/],
    ['sil: 1\nfiles: {}\nsecrets: plain\n', /encrypted or omit/],
    ['sil: 1\nfiles: {}\nfiles: {}\n', /not valid YAML at line 3/],
    ['sil: 1\nfiles: { a: [b\n', /not valid YAML/],
  ])('refuses %j', (text, why) => {
    const e = caughtSync(() => parseBundle(text));
    expect(e.code).toBe('SIL_BUNDLE_FORMAT');
    expect(e.message).toMatch(why);
  });

  it('does not quote the input in JSON syntax errors', () => {
    const e = caughtSync(() => parseBundle(`{"sil": 1, "files": {"secrets/a.yaml": "${KEY}" oops}}`, 'application/json'));
    expect(e.message).toMatch(/not valid JSON/);
    expect(e.message).not.toContain(KEY);
  });

  it('reads an explicit empty include as no sections, and a missing one as all', () => {
    expect(bundleFromValue({ sil: 1, files: {}, include: [] }).include).toEqual([]);
    expect(bundleFromValue({ sil: 1, files: {} }).include).toEqual([...SECTIONS]);
  });

  it('refuses an alias bomb', () => {
    const bomb = 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nsil: 1\nfiles: {}\n';
    expect(caughtSync(() => parseBundle(bomb)).code).toBe('SIL_BUNDLE_FORMAT');
  });
});
