// The real SOPS files of shared/fixtures/sops (written by the Go sops tool) and the plaintexts
// their README gives, shared by the reference decryptor's tests and the vault's.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'vitest';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The folder holding shared/fixtures: $SIL_SHARED_DIR, else `shared/` beside the project, else
 * beside the repository a local clone was made from (a clean clone in a temporary folder).
 */
function sharedDir(): string {
  const candidates = [process.env.SIL_SHARED_DIR, join(PROJECT, '..', 'shared')];
  try {
    const origin = execFileSync('git', ['-C', PROJECT, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8' }).trim();
    if (isAbsolute(origin)) candidates.push(resolve(origin, '..', 'shared'));
  } catch { /* not a clone */ }
  const found = candidates.find((d) => d && existsSync(join(d, 'fixtures', 'sops')));
  if (!found) throw new Error(`shared/fixtures/sops not found (looked in ${candidates.filter(Boolean).join(', ')}): set SIL_SHARED_DIR to the folder holding fixtures/`);
  return found;
}

export const FIXTURES = pathToFileURL(join(sharedDir(), 'fixtures', 'sops') + '/');
export const fixturePath = (name: string) => fileURLToPath(new URL(name, FIXTURES));
export const read = (name: string) => readFileSync(fixturePath(name), 'utf8');
export const identities = (keyFile: string) => read(keyFile).split('\n').map((l) => l.trim()).filter((l) => l.startsWith('AGE-SECRET-KEY-'));

export const RSA_KEY = expect.stringMatching(/^-----BEGIN RSA PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END RSA PRIVATE KEY-----\n$/);
export const HUMPHD_YAML = {
  secret: 'this is a secret', string: 'string', int: 7, float: 3.14, boolean: true,
  complex: { value: 'this is a secret', array: ['one', 'two', 'three'] },
};

export const CASES = [
  {
    file: 'pr1031-example.yaml', format: 'yaml', keys: 'keys.txt',
    expected: {
      myapp1: 't00m4nys3cr3tzupdated',
      app2: { db: { user: 'eve', password: 'c4r1b0u' }, key: RSA_KEY },
      number: 1234568000,
      an_array: ['secretuser1', 'secretuser2', 'somelongvalueAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'some other value'],
      somebooleans: [true, false],
      this: { is: { a: { nested: { value: 'with something secret in it' } } } },
      somelist_unencrypted: ['all elements of this list', 'remain in clear text', 'because of the _encrypted suffix in the key'],
      nested_unencrypted: { this: { is: { all: 'going to remain in clear text' } } },
    },
  },
  {
    file: 'pr1031-example.json', format: 'json', keys: 'keys.txt',
    expected: {
      firstName: 'John', lastName: 'Smith', age: 25.4,
      address: { city: 'New York', postalCode: '10021-3100', state: 'NY', streetAddress: '21 2nd Street' },
      phoneNumbers: [{ number: '212 555-1234', type: 'home' }, { number: '646 555-4567', type: 'office' }],
      anEmptyValue: '',
    },
  },
  { file: 'humphd-sops-age/secret.enc.yaml', format: 'yaml', keys: 'humphd-sops-age/key.txt', expected: HUMPHD_YAML },
  {
    file: 'humphd-sops-age/secret.enc.json', format: 'json', keys: 'humphd-sops-age/key.txt',
    expected: JSON.parse(read('humphd-sops-age/secret.json')) as unknown,
  },
] as const;

/** Swaps two distinct substrings of a text. */
export function swap(text: string, a: string, b: string): string {
  expect(a).not.toBe(b);
  expect(text).toContain(a);
  expect(text).toContain(b);
  return text.replace(a, '\u0000').replace(b, a).replace('\u0000', b);
}

