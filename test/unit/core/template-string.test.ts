import { describe, it, expect } from 'vitest';
import { placeholders, render } from '../../../server/core/template-string.ts';

describe('template strings', () => {
  it('finds placeholders and tells valid from invalid ones', () => {
    const found = placeholders('https://${connection.host}/bot${secret.token}/${model}/${nope}');
    expect(found.map((p) => [p.namespace, p.name, p.valid])).toEqual([
      ['connection', 'host', true],
      ['secret', 'token', true],
      ['model', '', true],
      ['nope', '', false],
    ]);
  });

  it('renders what it has and keeps the rest when asked', () => {
    const text = 'https://${connection.region}.example.test/bot${secret.token}';
    expect(render(text, { connection: { region: 'eu' } }, true)).toBe('https://eu.example.test/bot${secret.token}');
    expect(() => render(text, { connection: { region: 'eu' } })).toThrow(/no value for \$\{secret\.token\}/);
    expect(render(text, { connection: { region: 'eu' }, secret: { token: 't' } })).toBe('https://eu.example.test/bott');
  });
});
