// Provider base URLs at link-local or cloud metadata addresses are refused by the validator (every
// path: API, CLI, pushes) unless sil.yaml allows them; loopback and private ranges stay usable.
import { describe, it, expect } from 'vitest';
import { validateSource } from '../../../server/config/validate.ts';
import { memorySource } from '../../../server/config/sources/memory-source.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { formatIssue } from '../../../server/config/issues.ts';
import { forbiddenLiteral } from '../../../server/config/base-url-check.ts';
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
    expect(forbiddenLiteral(url)).toBe(what);
  });

  it('refuses a metadata address with the file, line and a hint, unless sil.yaml allows it', async () => {
    const sneaky = OPENAI_MAIN.replace('http://127.0.0.1:9901/v1', 'http://169.254.169.254/v1');
    const out = await errors({ ...MINIMAL, 'providers/openai-main.yaml': sneaky });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^providers\/openai-main\.yaml:\d+:\d+: base URL http:\/\/169\.254\.169\.254\/v1 points at a cloud metadata endpoint \[SIL_BASE_URL_FORBIDDEN\] hint: .*allowPrivateBaseUrls/);
    const allowed = await errors({ ...MINIMAL, 'sil.yaml': `${MINIMAL['sil.yaml']}security:\n  allowPrivateBaseUrls: true\n`, 'providers/openai-main.yaml': sneaky });
    expect(allowed).toEqual([]);
  });
});
