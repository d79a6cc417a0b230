// Provider base URLs at link-local or cloud metadata addresses are refused by the validator (every
// path: API, CLI, pushes) unless sil.yaml allows them; loopback and private ranges stay usable.
import { describe, it, expect } from 'vitest';
import { validateSource } from '../../../server/config/validate.ts';
import { memorySource } from '../../../server/config/sources/memory-source.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { formatIssue } from '../../../server/config/issues.ts';
import { forbiddenHost } from '../../../server/config/base-url-check.ts';
import { MINIMAL, OPENAI_MAIN } from '../../helpers/config-files.ts';

const catalog = projectCatalog().catalog;
const errors = async (files: Record<string, string>) => (await validateSource(memorySource(files), catalog)).errors.map(formatIssue);

describe('provider base URLs', () => {
  it.each([
    ['http://169.254.169.254/latest', 'a cloud metadata endpoint'],
    ['http://[fd00:ec2::254]/', 'a cloud metadata endpoint'],
    ['http://169.254.10.1:8080/v1', 'a link-local address'],
    ['http://[fe80::1]/v1', 'a link-local address'],
    ['http://127.0.0.1:9901/v1', undefined],
    ['http://10.0.0.5/v1', undefined],
    ['https://api.openai.com/v1', undefined],
  ])('%s is %s', (url, what) => {
    expect(forbiddenHost(url)).toBe(what);
  });

  // Other spellings of 169.254.169.254 that the URL parser turns into the address itself.
  it.each([
    'http://2852039166/', 'http://0xa9fea9fe/', 'http://0xA9FEA9FE/latest', 'http://0251.0376.0251.0376/', 'http://169.254.43518/',
    'http://169.254.169.254./', 'http://[::ffff:169.254.169.254]/', 'http://[::ffff:a9fe:a9fe]/', 'http://[64:ff9b::169.254.169.254]/',
  ])('%s is the metadata endpoint spelled another way', (url) => {
    expect(forbiddenHost(url)).toBe('a cloud metadata endpoint');
  });

  it.each([
    ['http://metadata.google.internal/computeMetadata/v1', 'metadata.google.internal is the metadata service\'s name'],
    ['http://METADATA.Google.Internal./', 'metadata.google.internal is the metadata service\'s name'],
    ['http://metadata/computeMetadata/v1', 'metadata is the metadata service\'s name'],
    ['http://metadata.goog/', 'metadata.goog is'],
    ['http://instance-data/latest/meta-data', 'instance-data is'],
    ['http://instance-data.ec2.internal/', 'instance-data.ec2.internal is'],
    ['http://metadata.azure.com/metadata/instance', 'metadata.azure.com is'],
    ['http://169.254.169.254.nip.io/', '169.254.169.254.nip.io spells 169.254.169.254'],
    ['https://app.169.254.169.254.nip.io:8443/v1', 'spells 169.254.169.254'],
    ['http://169-254-169-254.sslip.io/', 'spells 169.254.169.254'],
    ['http://app-169-254-169-254.nip.io/', 'spells 169.254.169.254'],
    ['http://a9fea9fe.nip.io/', 'spells 169.254.169.254'],
    ['http://magic-a9fea9fe.nip.io/', 'spells 169.254.169.254'],
    ['http://fd00-ec2--254.sslip.io/', 'spells fd00:ec2::254'],
    ['http://--ffff-a9fe-a9fe.sslip.io/', 'spells 169.254.169.254'],
    ['http://169.254.169.254.example.net/', 'spells 169.254.169.254'],
  ])('%s is refused as a cloud metadata endpoint by its name', (url, why) => {
    expect(forbiddenHost(url)).toMatch(/^a cloud metadata endpoint \(/);
    expect(forbiddenHost(url)).toContain(why);
  });

  it.each(['http://169.254.1.2.traefik.me/', 'http://fe80--1.sslip.io/', 'http://169-254-0-1.nip.io/'])('%s is refused as a link-local address by its name', (url) => {
    expect(forbiddenHost(url)).toMatch(/^a link-local address \(/);
  });

  // Names embedding any other address pass, as that address would: loopback and private ones
  // (self-hosted providers, mocks), public ones (they resolve to that public address).
  it.each([
    'https://api.openai.com/v1', 'https://generativelanguage.googleapis.com/v1beta', 'http://127.0.0.1:9901/v1', 'http://localhost:9901/v1',
    'http://127.0.0.1.nip.io:9901/v1', 'http://10-0-0-5.sslip.io/', 'https://52.1.2.3.nip.io/', 'https://52-1-2-3.sslip.io/',
    'http://2001-db8--1.sslip.io/', 'http://deadbeef.example.com/', 'https://metadata.example.com/', 'https://instance-data.example.com/',
    'https://my-metadata-service.internal/', 'https://nip.io/', 'https://sslip.io/',
  ])('%s passes', (url) => {
    expect(forbiddenHost(url)).toBeUndefined();
  });

  it('refuses a metadata address with the file, line and a hint, unless sil.yaml allows it', async () => {
    const sneaky = OPENAI_MAIN.replace('http://127.0.0.1:9901/v1', 'http://169.254.169.254/v1');
    const out = await errors({ ...MINIMAL, 'providers/openai-main.yaml': sneaky });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^providers\/openai-main\.yaml:\d+:\d+: base URL http:\/\/169\.254\.169\.254\/v1 points at a cloud metadata endpoint \[SIL_BASE_URL_FORBIDDEN\] hint: .*allowPrivateBaseUrls/);
    const allowed = await errors({ ...MINIMAL, 'sil.yaml': `${MINIMAL['sil.yaml']}security:\n  allowPrivateBaseUrls: true\n`, 'providers/openai-main.yaml': sneaky });
    expect(allowed).toEqual([]);
  });

  it('refuses a metadata host name and a nip.io name the same way, unless sil.yaml allows it', async () => {
    for (const url of ['http://metadata.google.internal/v1', 'http://169-254-169-254.sslip.io/v1']) {
      const named = OPENAI_MAIN.replace('http://127.0.0.1:9901/v1', url);
      const out = await errors({ ...MINIMAL, 'providers/openai-main.yaml': named });
      expect(out, url).toEqual([expect.stringMatching(/^providers\/openai-main\.yaml:8:12: base URL \S+ points at a cloud metadata endpoint \(.+\) \[SIL_BASE_URL_FORBIDDEN\] hint: use the provider's public address or host name; .*allowPrivateBaseUrls: true/)]);
      const allowed = await errors({ ...MINIMAL, 'sil.yaml': `${MINIMAL['sil.yaml']}security:\n  allowPrivateBaseUrls: true\n`, 'providers/openai-main.yaml': named });
      expect(allowed, url).toEqual([]);
    }
  });
});
