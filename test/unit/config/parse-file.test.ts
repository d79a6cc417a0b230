import { describe, it, expect } from 'vitest';
import { parseConfigFile, MAX_FILE_BYTES } from '../../../server/config/parse-file.ts';
import { formatIssue } from '../../../server/config/issues.ts';

const parse = (text: string | Uint8Array) => parseConfigFile('providers/x.yaml', typeof text === 'string' ? Buffer.from(text) : text);
const messages = (text: string | Uint8Array) => {
  const r = parse(text);
  return r.ok ? [] : r.issues.map(formatIssue);
};

describe('parseConfigFile on hostile input', () => {
  it('refuses a YAML alias bomb without expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = performance.now();
    const out = messages(bomb.join('\n'));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(out).toEqual([expect.stringMatching(/^providers\/x\.yaml:1:1: too many alias expansions \(the limit is 50\) \[SIL_CONFIG_ALIAS_LIMIT\]/)]);
  });

  it('refuses a 20 MB file before parsing it', () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 'a');
    expect(messages(big)).toEqual([expect.stringMatching(new RegExp(`file is ${big.length} bytes; config files may be at most ${MAX_FILE_BYTES} bytes \\[SIL_CONFIG_TOO_LARGE\\]`))]);
  });

  it('points at the first invalid UTF-8 byte', () => {
    const bytes = Buffer.concat([Buffer.from('id: x\nname: caf'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    expect(messages(bytes)).toEqual([expect.stringMatching(/^providers\/x\.yaml:2:10: invalid UTF-8 byte sequence \[SIL_CONFIG_ENCODING\]/)]);
  });

  it('accepts valid multi-byte UTF-8 and a byte order mark', () => {
    const r = parse('\ufeffname: "مركز تكامل مزودي الخدمات"\n');
    expect(r.ok && r.file.value.name).toBe('مركز تكامل مزودي الخدمات');
  });

  it('reports a duplicate key at the second occurrence', () => {
    expect(messages('id: x\nname: a\nname: b\n')).toEqual([expect.stringMatching(/^providers\/x\.yaml:3:1: .*\[SIL_CONFIG_DUPLICATE_KEY\]/)]);
  });

  it('refuses a document that is not a mapping', () => {
    expect(messages('- a\n- b\n')).toEqual([expect.stringMatching(/^providers\/x\.yaml:1:1: the top level of the file must be a mapping \[SIL_CONFIG_NOT_MAPPING\]/)]);
    expect(messages('')).toEqual([expect.stringMatching(/SIL_CONFIG_NOT_MAPPING/)]);
  });

  it('does not run language-specific tags', () => {
    expect(messages('id: !!js/function "function () { return 1 }"\n').join('\n')).toMatch(/SIL_CONFIG_YAML/);
  });

  it('refuses deep nesting quickly instead of exhausting the stack', () => {
    const deep = 'a: ' + '['.repeat(400_000) + ']'.repeat(400_000) + '\n';
    const started = performance.now();
    expect(messages(deep)).toEqual([expect.stringMatching(/^providers\/x\.yaml:1:1: values are nested more than 100 levels deep \[SIL_CONFIG_YAML\]/)]);
    expect(performance.now() - started).toBeLessThan(1000);
    // Brackets inside quotes and patterns do not count.
    expect(parse('pattern: "' + '['.repeat(500) + '"\nother: ^[a-z][0-9]{2}$\n').ok).toBe(true);
  });

  it('keeps positions for nested values', () => {
    const r = parse('id: x\ntargets:\n  - provider: a\n');
    expect(r.ok).toBe(true);
  });

  it('explains that a bare * is an alias', () => {
    expect(messages('name: web\nbindings: [*]\n')).toEqual([expect.stringMatching(/^providers\/x\.yaml:2:12: .*\[SIL_CONFIG_YAML\] hint: a bare \* starts a YAML alias: quote it, e\.g\. bindings: \["\*"\]$/)]);
  });
});
