import { describe, it, expect } from 'vitest';
import { validateSource } from '../../../server/config/validate.ts';
import { memorySource } from '../../../server/config/sources/memory-source.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { formatIssue } from '../../../server/config/issues.ts';
import { MINIMAL, OPENAI_MAIN, SETTINGS } from '../../helpers/config-files.ts';

const catalog = projectCatalog().catalog;
const lines = async (files: Record<string, string>) => (await validateSource(memorySource(files), catalog)).errors.map(formatIssue);

describe('validator: settings and references of issue 12', () => {
  it('accepts an IANA time zone and refuses a made-up one at its line', async () => {
    expect(await lines({ ...MINIMAL, 'sil.yaml': `${SETTINGS}timeZone: Asia/Riyadh\n` })).toEqual([]);
    const out = await lines({ ...MINIMAL, 'sil.yaml': `${SETTINGS}timeZone: Mars/Olympus\n` });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^sil\.yaml:\d+:\d+: time zone "Mars\/Olympus" is not an IANA time zone .*\[SIL_CONFIG_SCHEMA\] hint: use a name such as UTC/);
  });

  it('checks the metrics allowlist entries and the scrape token hash form', async () => {
    expect(await lines({ ...MINIMAL, 'sil.yaml': `${SETTINGS}metrics:\n  allowlist: [10.0.0.0/8, "::1"]\n  scrapeTokenSha256: ${'a'.repeat(64)}\n` })).toEqual([]);
    const bad = await lines({ ...MINIMAL, 'sil.yaml': `${SETTINGS}metrics:\n  allowlist: [10.0.0.300]\n` });
    expect(bad[0]).toMatch(/^sil\.yaml:\d+:\d+: metrics\.allowlist\[0\] "10\.0\.0\.300" is not an IP address or CIDR range/);
    const token = await lines({ ...MINIMAL, 'sil.yaml': `${SETTINGS}metrics:\n  scrapeTokenSha256: my-plain-token\n` });
    expect(token[0]).toMatch(/scrapeTokenSha256.*\[SIL_CONFIG_SCHEMA\]/);
  });

  it('takes a policy-level scope and refuses a rateLimit.scope that differs from it', async () => {
    expect(await lines({ ...MINIMAL, 'policies/p.yaml': 'name: p\nscope: binding\nbudget: { amount: 5, period: day }\nrateLimit: { requests: 1, per: second, scope: binding }\n' })).toEqual([]);
    const out = await lines({ ...MINIMAL, 'policies/p.yaml': 'name: p\nscope: binding\nrateLimit: { requests: 1, per: second, scope: client }\n' });
    expect(out).toEqual([expect.stringMatching(/^policies\/p\.yaml:3:\d+: rateLimit\.scope "client" differs from the policy's scope "binding" \[SIL_CONFIG_SCHEMA\]/)]);
  });

  it('checks that a provider\'s policy exists', async () => {
    const policy = 'name: strict\nrateLimit: { requests: 10, per: minute }\n';
    expect(await lines({ ...MINIMAL, 'providers/openai-main.yaml': `${OPENAI_MAIN}policy: strict\n`, 'policies/strict.yaml': policy })).toEqual([]);
    const out = await lines({ ...MINIMAL, 'providers/openai-main.yaml': `${OPENAI_MAIN}policy: strikt\n`, 'policies/strict.yaml': policy });
    expect(out).toEqual([expect.stringMatching(/^providers\/openai-main\.yaml:\d+:\d+: policy "strikt" does not exist \(did you mean "strict"\?\) \[SIL_CONFIG_REFERENCE\]/)]);
  });
});
