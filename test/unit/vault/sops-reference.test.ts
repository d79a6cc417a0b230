// Proves the reference SOPS decryptor (test/helpers/sops-reference.ts) against real files
// written by the Go `sops` tool (shared/fixtures/sops, see its README.md), so that it can
// be trusted to judge the files the vault writes.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { referenceDecrypt, goFormatFloat } from '../../helpers/sops-reference.ts';
import { ensureAgeCli, ageDecryptArmored } from '../../helpers/age-cli.ts';
import { fixturePath, read, identities, CASES, swap } from '../../helpers/sops-fixtures.ts';

/** The ENC[...] string stored at a YAML path (list items by index). */
function encAt(text: string, ...path: (string | number)[]): string {
  let v: unknown = parseYaml(text);
  for (const k of path) v = (v as Record<string | number, unknown>)[k];
  expect(v).toMatch(/^ENC\[AES256_GCM,/);
  return v as string;
}

describe('reference SOPS decryptor against real sops files', () => {
  for (const c of CASES) {
    it(`decrypts ${c.file} to the README plaintext and verifies its MAC`, async () => {
      const r = await referenceDecrypt(read(c.file), c.format, identities(c.keys));
      expect(r.data).toEqual(c.expected);
      expect(r.macOk).toBe(true);
      expect(r.dataKey).toBeInstanceOf(Uint8Array);
      expect(r.dataKey.length).toBe(32);
    });
  }

  it('decrypts the encrypted YAML comments of pr1031-example.yaml (1 in app2:db, 3 in this:is:a:nested)', async () => {
    const r = await referenceDecrypt(read('pr1031-example.yaml'), 'yaml', identities('keys.txt'));
    expect(r.comments).toHaveLength(4);
    for (const comment of r.comments) {
      expect(typeof comment).toBe('string');
      expect(comment.trim().length).toBeGreaterThan(0);
    }
    expect(r.comments).toEqual([
      ' private key for secret operations in app2',
      ' sops supports unencrypted fields',
      ' by adding the `_unencrypted` suffix',
      ' to any key',
    ]);
  });

  it('reports a MAC mismatch when two values with the same AAD are swapped (list items)', async () => {
    const text = read('pr1031-example.yaml');
    const tampered = swap(text, encAt(text, 'an_array', 0), encAt(text, 'an_array', 1));
    const r = await referenceDecrypt(tampered, 'yaml', identities('keys.txt'));
    expect((r.data as { an_array: string[] }).an_array.slice(0, 2)).toEqual(['secretuser2', 'secretuser1']);
    expect(r.macOk).toBe(false);

    const json = read('humphd-sops-age/secret.enc.json');
    const arr = (JSON.parse(json) as { complex: { array: string[] } }).complex.array;
    const rj = await referenceDecrypt(swap(json, arr[0], arr[1]), 'json', identities('humphd-sops-age/key.txt'));
    expect(rj.macOk).toBe(false);
  });

  it('refuses a value moved to another path (the GCM tag binds the AAD)', async () => {
    const text = read('pr1031-example.yaml');
    const tampered = swap(text, encAt(text, 'app2', 'db', 'user'), encAt(text, 'app2', 'db', 'password'));
    await expect(referenceDecrypt(tampered, 'yaml', identities('keys.txt'))).rejects.toThrow();
  });

  it('refuses a file without sops.version/sops.mac, and fails without a matching identity', async () => {
    const text = read('humphd-sops-age/secret.enc.yaml');
    await expect(referenceDecrypt(text.replace(/^ {2}mac: .*$/m, ''), 'yaml', identities('humphd-sops-age/key.txt'))).rejects.toThrow(/version and sops.mac/);
    await expect(referenceDecrypt(text, 'yaml', identities('keys.txt'))).rejects.toThrow(/no identity/);
  });

  it('formats floats like Go FormatFloat(v, \'f\', -1, 64)', () => {
    expect(goFormatFloat(3.14)).toBe('3.14');
    expect(goFormatFloat(1234568000)).toBe('1234568000');
    expect(goFormatFloat(3.14e-10)).toBe('0.000000000314');
    expect(goFormatFloat(1e21)).toBe('1000000000000000000000');
    expect(goFormatFloat(-25.4)).toBe('-25.4');
    expect(goFormatFloat(0)).toBe('0');
    expect(goFormatFloat(7)).toBe('7');
  });

  const agePath = ensureAgeCli();
  it.skipIf(!agePath)(
    agePath
      ? 'the age CLI unwraps the same 32-byte data key as age-encryption'
      : 'the age CLI unwraps the same data key (SKIPPED: `age` not installed; CI runs `apt-get install -y age`)',
    async () => {
      for (const c of CASES) {
        const text = read(c.file);
        const sops = (c.format === 'yaml' ? parseYaml(text) : JSON.parse(text)).sops as { age: { enc: string }[] };
        let cliKey: Buffer | undefined;
        for (const { enc } of sops.age) {
          try {
            cliKey = ageDecryptArmored(enc, fixturePath(c.keys));
            break;
          } catch {
            // not for our identity; try the next recipient
          }
        }
        expect(cliKey, `age CLI unwrapped no enc entry of ${c.file}`).toBeDefined();
        const r = await referenceDecrypt(text, c.format, identities(c.keys));
        expect(cliKey!.length).toBe(32);
        expect(Buffer.from(r.dataKey).equals(cliKey!)).toBe(true);
      }
    },
  );
});
