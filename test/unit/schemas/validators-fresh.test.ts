import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { generateValidators, generateValidatorTypes, VALIDATORS_FILE, VALIDATORS_TYPES_FILE } from '../../../scripts/gen-validators.ts';
import { validators, compileValidators } from '../../../server/config/schemas.ts';

describe('precompiled validators', () => {
  it('schemas/validators.gen.js matches the schemas (run `npm run gen:types` when this fails)', () => {
    expect(readFileSync(VALIDATORS_FILE, 'utf8')).toBe(generateValidators());
    expect(readFileSync(VALIDATORS_TYPES_FILE, 'utf8')).toBe(generateValidatorTypes());
  });

  it('give the same verdicts and errors as validators compiled at run time', () => {
    const fresh = compileValidators();
    const pre = validators();
    const samples: [keyof typeof pre, unknown][] = [
      ['binding', { name: 'chat', environment: 'prod', protocol: 'openai-chat', targets: [{ provider: 'x' }] }],
      ['binding', { name: 'chat', environment: 'prod', protocol: 'openai-chat', targets: [], bogus: 1 }],
      ['provider', { id: 'x', name: 'é'.repeat(121), environment: 'prod', template: 'openai' }],
      ['provider', { id: 'x', name: '🔌'.repeat(120), environment: 'prod', template: 'openai' }],
      ['template', { id: 'x', name: 'X', category: 'AI', baseUrl: 'https://a.test', auth: { type: 'bearr' }, services: [{ id: 'a', protocol: 'http' }] }],
      ['template', { id: 'x', name: 'X', category: 'AI', baseUrl: 'https://a.test', docs: 'not a uri', auth: { type: 'basic', username: 'u' }, services: [{ id: 'a', protocol: 'http' }] }],
      ['client', { name: 'c', environment: 'dev', tokens: [{ id: 't', hash: 'sha256:' + '0'.repeat(64), createdAt: 'yesterday' }] }],
      ['settings', { version: 1, environments: ['dev'], vault: { recipients: ['age1nope'] } }],
    ];
    for (const [kind, doc] of samples) {
      expect(pre[kind](doc), `${kind} ${JSON.stringify(doc).slice(0, 60)}`).toBe(fresh[kind](doc));
      expect(pre[kind].errors ?? null).toEqual(fresh[kind].errors ?? null);
    }
    // The emoji name is 120 characters (240 UTF-16 units): ucs2length must count code points.
    expect(pre.provider({ id: 'x', name: '🔌'.repeat(120), environment: 'prod', template: 'openai' })).toBe(true);
  });
});
