// providers/<id>.yaml `origins:`: what counts as an origin, how a URL is redirected, and that the
// validator refuses a bad origin or one leading to a metadata address (file, line, fix).
import { describe, it, expect } from 'vitest';
import { compileOrigins, normalOrigin, redirectOrigin } from '../../../server/auth-schemes/origins.ts';
import { renderRequest } from '../../../server/auth-schemes/render-request.ts';
import { validateSource } from '../../../server/config/validate.ts';
import { memorySource } from '../../../server/config/sources/memory-source.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { formatIssue } from '../../../server/config/issues.ts';
import { MINIMAL, OPENAI_MAIN } from '../../helpers/config-files.ts';

const catalog = projectCatalog().catalog;
const errors = async (files: Record<string, string>) => (await validateSource(memorySource(files), catalog)).errors.map(formatIssue);

describe('origins', () => {
  it('normalises origins and refuses anything with a path, query or credentials', () => {
    expect(normalOrigin('HTTPS://API.Stripe.com:443')).toBe('https://api.stripe.com');
    expect(normalOrigin('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    for (const bad of ['https://api.stripe.com/v1', 'https://a.example?x=1', 'https://u:p@a.example', 'ftp://a.example', 'api.stripe.com']) expect(normalOrigin(bad), bad).toBeUndefined();
  });

  it('redirects a URL whose origin is mapped, keeping path and query, and leaves others alone', () => {
    const map = compileOrigins({ 'https://API.example.com': 'http://127.0.0.1:4010' });
    const moved = redirectOrigin(new URL('https://api.example.com/v1/things?a=1'), map);
    expect(moved.href).toBe('http://127.0.0.1:4010/v1/things?a=1');
    const other = new URL('https://login.example.com/token');
    expect(redirectOrigin(other, map)).toBe(other);
    expect(redirectOrigin(other, undefined)).toBe(other);
  });

  it('applies before auth: a query-key request goes to the mapped origin with its key', () => {
    const req = renderRequest(
      { baseUrl: 'https://maps.example.com/api', path: '/geocode', auth: { type: 'query', params: { key: '${secret.key}' } } },
      { connection: {}, secret: { key: 'k1' }, now: () => new Date(0), origins: compileOrigins({ 'https://maps.example.com': 'http://127.0.0.1:9' }) },
    );
    expect(req.url.href).toBe('http://127.0.0.1:9/api/geocode?key=k1');
  });

  it('is validated: a value that is not an origin, and one at a metadata address, are refused with file and line', async () => {
    const withOrigins = (to: string) => `${OPENAI_MAIN}origins:\n  "https://api.openai.com": "${to}"\n`;
    const notOrigin = await errors({ ...MINIMAL, 'providers/openai-main.yaml': withOrigins('http://127.0.0.1:9/v1') });
    expect(notOrigin.join('\n')).toMatch(/^providers\/openai-main\.yaml:\d+:\d+: .*origins/m);
    const metadata = await errors({ ...MINIMAL, 'providers/openai-main.yaml': withOrigins('http://169.254.169.254') });
    expect(metadata).toEqual([expect.stringMatching(/^providers\/openai-main\.yaml:10:\d+: base URL http:\/\/169\.254\.169\.254 points at a cloud metadata endpoint \[SIL_BASE_URL_FORBIDDEN\]/)]);
    expect(await errors({ ...MINIMAL, 'providers/openai-main.yaml': withOrigins('http://127.0.0.1:9') })).toEqual([]);
  });
});
