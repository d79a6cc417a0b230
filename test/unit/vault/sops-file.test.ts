// The vault's own SOPS code path against the real sops fixtures, and files it writes checked by
// the independent reference decryptor and the age CLI.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decrypter, armor, generateX25519Identity, identityToRecipient, Encrypter } from 'age-encryption';
import { decryptSops, encryptSops } from '../../../server/vault/sops/sops-file.ts';
import { parseIdentityFile, identitiesFrom } from '../../../server/vault/sops/data-key.ts';
import { unwrapWithNative, x25519Key } from '../../../server/vault/sops/age-native.ts';
import { goFloat, goRfc3339 } from '../../../server/vault/sops/go-format.ts';
import { referenceDecrypt } from '../../helpers/sops-reference.ts';
import { ensureAgeCli, ageDecryptArmored } from '../../helpers/age-cli.ts';
import { read, identities, CASES, swap } from '../../helpers/sops-fixtures.ts';

describe('vault SOPS decryption of files written by the real sops', () => {
  for (const c of CASES) {
    it(`decrypts ${c.file} to the README plaintext, MAC verified`, async () => {
      const r = await decryptSops(read(c.file), c.format, parseIdentityFile(read(c.keys)));
      expect(r.data).toEqual(c.expected);
      expect(r.dataKey).toHaveLength(32);
    });
  }

  it('decrypts the encrypted comments of pr1031-example.yaml', async () => {
    const r = await decryptSops(read('pr1031-example.yaml'), 'yaml', parseIdentityFile(read('keys.txt')));
    expect(r.comments).toEqual([' private key for secret operations in app2', ' sops supports unencrypted fields', ' by adding the `_unencrypted` suffix', ' to any key']);
    expect(r.doc.toString()).toContain('# sops supports unencrypted fields');
  });

  it('refuses a file with one value changed, or two values swapped, for its MAC', async () => {
    const ids = parseIdentityFile(read('keys.txt'));
    const text = read('pr1031-example.yaml');
    await expect(decryptSops(text.replace('- remain in clear text', '- remain in clear text!'), 'yaml', ids)).rejects.toMatchObject({ code: 'SIL_VAULT_MAC' });
    const items = [...text.matchAll(/^ {4}- (ENC\[[^\]]+type:str\])$/gm)].map((m) => m[1]);
    await expect(decryptSops(swap(text, items[0], items[1]), 'yaml', ids)).rejects.toMatchObject({ code: 'SIL_VAULT_MAC' });
    // Two entries of one map swapped whole (key and value): every value still decrypts in its
    // place, but the file order the MAC covers changed.
    const user = /^ {8}user: .*$/m.exec(text)![0];
    const password = /^ {8}password: .*$/m.exec(text)![0];
    await expect(decryptSops(swap(text, user, password), 'yaml', ids)).rejects.toMatchObject({ code: 'SIL_VAULT_MAC' });
    const json = read('humphd-sops-age/secret.enc.json');
    const moved = swap(json, /"secret": "(ENC[^"]+)"/.exec(json)![1], /"value": "(ENC[^"]+)"/.exec(json)![1]);
    await expect(decryptSops(moved, 'json', parseIdentityFile(read('humphd-sops-age/key.txt')))).rejects.toMatchObject({ code: 'SIL_VAULT_DECRYPT' });
  });

  it('names the recipients when no identity opens the file', async () => {
    const other = identitiesFrom([await generateX25519Identity()]);
    await expect(decryptSops(read('pr1031-example.yaml'), 'yaml', other)).rejects.toMatchObject({ code: 'SIL_VAULT_IDENTITY', message: expect.stringContaining('age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw') });
  });
});

describe('files the vault writes', () => {
  const plain = `service:\n  name: demo\n  port: 8080\n  ratio: 0.000000000314\n  on: true\n  when: 2024-01-02T03:04:05Z\n  secret_unencrypted: visible\n  list: [a, b]\n`;

  it('are real SOPS: the reference decryptor reads them with a valid MAC and the age CLI unwraps a 32-byte data key', async () => {
    const id = await generateX25519Identity();
    const text = await encryptSops(plain, { recipients: [await identityToRecipient(id)], rule: { kind: 'unencrypted_suffix', value: '_unencrypted' }, now: new Date('2026-01-02T03:04:05.678Z') });
    expect(text).toMatch(/lastmodified: "2026-01-02T03:04:05Z"/);
    expect(text).toMatch(/port: ENC\[AES256_GCM,data:[^\]]+type:int\]/);
    expect(text).toMatch(/ratio: ENC\[[^\]]+type:float\]/);
    expect(text).toContain('secret_unencrypted: visible');
    expect(text).not.toContain('demo');
    const ref = await referenceDecrypt(text, 'yaml', [id]);
    expect(ref.macOk).toBe(true);
    expect(ref.data).toEqual({ service: { name: 'demo', port: 8080, ratio: 3.14e-10, on: true, when: '2024-01-02T03:04:05Z', secret_unencrypted: 'visible', list: ['a', 'b'] } });
    const age = ensureAgeCli();
    if (!age) {
      console.warn('SKIPPED: the age CLI is not installed (CI installs it with apt)');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'sil-age-'));
    try {
      writeFileSync(join(dir, 'key.txt'), `${id}\n`);
      const enc = /enc: \|\n((?: +.*\n)+?) +-----END AGE ENCRYPTED FILE-----/.exec(text)![0].replace(/^enc: \|\n/, '').replace(/^ +/gm, '');
      const key = ageDecryptArmored(enc, join(dir, 'key.txt'));
      expect(key).toHaveLength(32);
      expect(Buffer.from(ref.dataKey).equals(key)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keep unchanged values byte-for-byte when re-encrypted, and change only what changed', async () => {
    const id = await generateX25519Identity();
    const recipients = [await identityToRecipient(id)];
    const rule = { kind: 'encrypted_regex', value: '^secret$' } as const;
    const first = await encryptSops('keys:\n  - id: a\n    secret: { apiKey: one, other: two }\n', { recipients, rule, now: new Date() });
    const opened = await decryptSops(first, 'yaml', identitiesFrom([id]));
    const second = await encryptSops('keys:\n  - id: a\n    secret: { apiKey: one, other: three }\n', { recipients, rule, now: new Date(), previous: { ...opened, age: opened.metadata.age } });
    const enc = (t: string, f: string) => new RegExp(`${f}: (ENC\\[[^\\]]+\\])`).exec(t)![1];
    expect(enc(second, 'apiKey')).toBe(enc(first, 'apiKey'));
    expect(enc(second, 'other')).not.toBe(enc(first, 'other'));
    const ageBlock = (t: string) => t.slice(t.indexOf('-----BEGIN AGE'), t.indexOf('-----END AGE'));
    expect(ageBlock(second)).toBe(ageBlock(first));
    expect((await referenceDecrypt(second, 'yaml', [id])).macOk).toBe(true);
  });
});

describe('age X25519 unwrap with node:crypto', () => {
  it('opens what age-encryption wraps, and nothing for another identity', async () => {
    const id = await generateX25519Identity();
    const key = x25519Key(id);
    for (let i = 0; i < 20; i++) {
      const data = crypto.getRandomValues(new Uint8Array(32));
      const e = new Encrypter();
      e.addRecipient(await identityToRecipient(id));
      const armored = armor.encode(await e.encrypt(data));
      expect(Buffer.from(unwrapWithNative(armored, [key])!).equals(Buffer.from(data))).toBe(true);
      const d = new Decrypter();
      d.addIdentity(id);
      expect(Buffer.from(await d.decrypt(armor.decode(armored))).equals(Buffer.from(data))).toBe(true);
    }
    const e = new Encrypter();
    e.addRecipient(await identityToRecipient(id));
    expect(unwrapWithNative(armor.encode(await e.encrypt(new Uint8Array(32))), [x25519Key(await generateX25519Identity())])).toBeNull();
  });

  it('opens the fixtures too', () => {
    const enc = /enc: \|\n((?: +.*\n)+?) +-----END AGE ENCRYPTED FILE-----/.exec(read('humphd-sops-age/secret.enc.yaml'))![0].replace(/^enc: \|\n/, '').replace(/^ +/gm, '');
    expect(unwrapWithNative(enc, identities('humphd-sops-age/key.txt').map(x25519Key))).toHaveLength(32);
  });
});

describe('Go text forms', () => {
  it('formats floats like strconv.FormatFloat(v, f, -1, 64)', () => {
    expect(goFloat(3.14e-10)).toBe('0.000000000314');
    expect(goFloat(1234568000)).toBe('1234568000');
    expect(goFloat(1e21)).toBe('1000000000000000000000');
    expect(goFloat(-2.5e-7)).toBe('-0.00000025');
    expect(goFloat(25.4)).toBe('25.4');
  });

  it('formats YAML timestamps like time.RFC3339', () => {
    expect(goRfc3339('2001-12-14')).toBe('2001-12-14T00:00:00Z');
    expect(goRfc3339('2001-12-14t21:59:43.10-05:00')).toBe('2001-12-14T21:59:43-05:00');
    expect(goRfc3339('2001-12-14 21:59:43.10 -5')).toBe('2001-12-14T21:59:43-05:00');
  });
});
