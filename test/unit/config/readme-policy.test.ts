// The policy example of the README ("Calling the proxy") is a valid policy, attached to a client.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { validateSource } from '../../../server/config/validate.ts';
import { memorySource } from '../../../server/config/sources/memory-source.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { formatIssue } from '../../../server/config/issues.ts';
import { MINIMAL } from '../../helpers/config-files.ts';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('the README policy example', () => {
  it('validates and can be attached to a client', async () => {
    const found = [...README.matchAll(/```yaml\n([^]*?)```/g)].map((m) => m[1]!).filter((b) => b.includes('name: web-default'));
    expect(found).toHaveLength(1);
    const files = {
      ...MINIMAL,
      'policies/web-default.yaml': found[0]!.replace(/^#.*\n/, ''),
      'clients/web.yaml': 'name: web\nenvironment: prod\nbindings: [chat]\npolicy: web-default\n',
    };
    const r = await validateSource(memorySource(files), projectCatalog().catalog);
    expect(r.errors.map(formatIssue)).toEqual([]);
    expect(r.model.policies.get('web-default')?.value.budget?.onExceeded).toBe('block');
  });
});
