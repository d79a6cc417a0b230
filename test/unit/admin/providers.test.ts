import { describe, it, expect } from 'vitest';
import {
  categoriesOf, customProvider, fieldProblem, fieldValues, filterProviders, formFields, formProblems, indexProviders,
  keyActions, NO_FILTER, recheck, parseState, queryTokens, rotationState, secretBody, slugify, stateToSearch, statusCounts, uiStatus,
  type ProviderSummary,
} from '../../../admin/src/lib/providers.ts';

const CATS = ['AI', 'Cloud', 'Communication', 'Payment', 'Analytics', 'Search', 'Media', 'Maps', null] as const;
const SERVICES = [
  { id: 'chat', name: 'Chat completions', protocol: 'openai-chat' },
  { id: 'sms', name: 'Messages', protocol: 'http' },
  { id: 'embeddings', protocol: 'openai-embeddings' },
];

/** n providers: every 7th disabled, every 5th (enabled) in error, categories and services rotating. */
function generate(n: number): ProviderSummary[] {
  return Array.from({ length: n }, (_, i) => {
    const enabled = i % 7 !== 0;
    const error = enabled && i % 5 === 0;
    const s = SERVICES[i % SERVICES.length];
    return {
      id: `provider-${String(i).padStart(3, '0')}`,
      name: `Provider ${i} ${['Alpha', 'Beta', 'Gamma'][i % 3]}`,
      category: CATS[i % CATS.length],
      template: CATS[i % CATS.length] ? 'openai' : null,
      environment: i % 2 ? 'prod' : 'dev',
      enabled,
      status: !enabled ? 'disabled' : error ? 'error' : 'enabled',
      problems: error ? ['no active key'] : [],
      services: [{ ...s, enabled: true }],
      keys: { total: 1, active: error ? 0 : 1, default: error ? null : 'primary' },
      tags: i % 10 === 0 ? ['critical'] : [],
    };
  });
}

describe('provider status', () => {
  it('shows enabled as active, keeps disabled and error; disabled wins over problems', () => {
    expect(uiStatus({ status: 'enabled', enabled: true })).toBe('active');
    expect(uiStatus({ status: 'error', enabled: true })).toBe('error');
    expect(uiStatus({ status: 'disabled', enabled: false })).toBe('disabled');
    expect(uiStatus({ status: 'error', enabled: false })).toBe('disabled');
  });

  it('counts statuses and lists categories in catalog order, custom providers as Custom', () => {
    const index = indexProviders(generate(500));
    const c = statusCounts(index);
    expect(c.all).toBe(500);
    expect(c.active + c.disabled + c.error).toBe(500);
    expect(c.disabled).toBe(72); // ceil(500 / 7)
    expect(categoriesOf(index)).toEqual(['AI', 'Cloud', 'Communication', 'Payment', 'Analytics', 'Search', 'Media', 'Maps', 'Custom']);
  });
});

describe('search and filters over 500 providers', () => {
  const list = generate(500);
  const index = indexProviders(list);

  it('sorts by name and finds by name, id, category and service (case-insensitive, every word)', () => {
    expect(index[0].p.name <= index[1].p.name).toBe(true);
    expect(filterProviders(index, { ...NO_FILTER, query: 'PROVIDER-042' }).map((e) => e.p.id)).toEqual(['provider-042']);
    const oracle = list.filter((p) => ['42', 'gamma'].every((w) => [p.name, p.id, p.category ?? '', p.template ?? '', p.environment, ...(p.tags ?? []), ...p.services.flatMap((s) => [s.id, s.name ?? '', s.protocol])].some((f) => f.toLowerCase().includes(w))));
    expect(oracle.length).toBeGreaterThan(2);
    expect(filterProviders(index, { ...NO_FILTER, query: '42 Gamma' }).map((e) => e.p.id).sort()).toEqual(oracle.map((p) => p.id).sort());
    expect(filterProviders(index, { ...NO_FILTER, query: 'payment' }).every((e) => e.category === 'Payment')).toBe(true);
    const sms = filterProviders(index, { ...NO_FILTER, query: 'sms' });
    expect(sms.length).toBe(list.filter((p) => p.services[0].id === 'sms').length);
    expect(filterProviders(index, { ...NO_FILTER, query: 'openai-embeddings' }).length).toBeGreaterThan(100);
    expect(filterProviders(index, { ...NO_FILTER, query: 'critical' }).length).toBe(50);
    expect(filterProviders(index, { ...NO_FILTER, query: '  ' }).length).toBe(500);
    expect(filterProviders(index, { ...NO_FILTER, query: 'nothing-like-this' })).toEqual([]);
    expect(queryTokens(' Open  AI ')).toEqual(['open', 'ai']);
  });

  it('combines status, category and query', () => {
    const errors = filterProviders(index, { ...NO_FILTER, status: 'error' });
    expect(errors.length).toBe(list.filter((p) => p.status === 'error').length);
    expect(errors.every((e) => e.p.problems.length > 0)).toBe(true);
    const disabledAi = filterProviders(index, { query: 'chat', status: 'disabled', category: 'AI' });
    expect(disabledAi.every((e) => e.status === 'disabled' && e.category === 'AI' && e.hay.includes('chat'))).toBe(true);
    expect(filterProviders(index, { ...NO_FILTER, category: 'Custom' }).every((e) => e.p.category === null)).toBe(true);
  });

  it('one filter pass over 500 providers stays far below a frame (16 ms)', () => {
    const queries = ['p', 'pr', 'pro', 'prov', 'provi', 'provider 4', 'provider 42', 'gamma', 'chat', 'zzz'];
    for (let i = 0; i < 50; i++) for (const q of queries) filterProviders(index, { ...NO_FILTER, query: q }); // warm up
    const times: number[] = [];
    for (let round = 0; round < 20; round++) {
      for (const q of queries) {
        const t0 = performance.now();
        filterProviders(index, { query: q, status: round % 2 ? 'active' : 'all', category: round % 3 ? '' : 'AI' });
        times.push(performance.now() - t0);
      }
    }
    times.sort((a, b) => a - b);
    const median = times[times.length >> 1];
    const worst = times[times.length - 1];
    console.log(`filter 500 providers: median ${median.toFixed(3)} ms, worst ${worst.toFixed(3)} ms`);
    expect(median).toBeLessThan(2);
    expect(worst).toBeLessThan(16);
    const t0 = performance.now();
    indexProviders(list);
    console.log(`index 500 providers: ${(performance.now() - t0).toFixed(2)} ms`);
  });
});

describe('URL state', () => {
  it('round-trips filter and view and ignores unknown values', () => {
    const s = stateToSearch({ query: 'open ai', status: 'error', category: 'AI' }, 'details');
    expect(parseState(s)).toEqual({ query: 'open ai', status: 'error', category: 'AI', view: 'details' });
    expect(stateToSearch(NO_FILTER, 'cards')).toBe('');
    expect(parseState('?status=bogus&view=grid', 'list')).toEqual({ ...NO_FILTER, view: 'list' });
  });
});

describe('forms from template fields', () => {
  const fields = formFields({
    organization: { title: 'Organization id', pattern: '^org-[A-Za-z0-9]+$', example: 'org-AbC123', optional: true },
    region: { enum: ['us', 'eu'], default: 'us' },
    port: { type: 'integer' },
    endpoint: { format: 'uri' },
  }, false);

  it('marks required and optional fields (a default makes a field optional)', () => {
    expect(fields.map((f) => [f.name, f.required])).toEqual([['organization', false], ['region', false], ['port', true], ['endpoint', true]]);
  });

  it('checks pattern, type, enum and format, and leaves empty optional fields out', () => {
    const [org, region, port, endpoint] = fields;
    expect(fieldProblem(org, '')).toBeNull();
    expect(fieldProblem(org, 'acme')).toBe('pattern');
    expect(fieldProblem(org, 'org-Abc1')).toBeNull();
    expect(fieldProblem(region, 'asia')).toBe('enum');
    expect(fieldProblem(port, '')).toBe('required');
    expect(fieldProblem(port, '8.5')).toBe('integer');
    expect(fieldProblem(endpoint, 'ftp://x')).toBe('format');
    expect(formProblems(fields, { port: '443', endpoint: 'https://x.example' })).toEqual({});
    expect(fieldValues(fields, { organization: ' ', port: '443', endpoint: 'https://x.example ' })).toEqual({ port: 443, endpoint: 'https://x.example' });
  });

  it('re-checks a shown problem as the field changes, and leaves other fields alone', () => {
    const [org, , port] = fields;
    const shown = { organization: 'pattern' as const, port: 'required' as const };
    expect(recheck(shown, org, 'org-Ok1')).toEqual({ port: 'required' });
    expect(recheck(shown, port, '4.2')).toEqual({ organization: 'pattern', port: 'integer' });
    const none = {};
    expect(recheck(none, org, 'bad')).toBe(none); // not shown yet: no nagging while typing
  });

  it('sends a single credential as a string, several as an object', () => {
    const one = formFields({ apiKey: { title: 'API key' } }, true);
    expect(one[0].secret).toBe(true);
    expect(secretBody(one, { apiKey: 'sk-123' })).toBe('sk-123');
    const two = formFields({ accountSid: {}, authToken: {} }, true);
    expect(secretBody(two, { accountSid: 'AC1', authToken: 't' })).toEqual({ accountSid: 'AC1', authToken: 't' });
  });

  it('suggests ids', () => {
    expect(slugify('  Acme API (EU) ')).toBe('acme-api-eu');
  });
});

describe('custom provider definitions', () => {
  const base = { id: 'acme', name: 'Acme API', category: 'Custom', environment: 'prod', baseUrl: 'https://api.acme.example/v2', authName: '', authPrefix: '', services: [{ id: 'api', protocol: 'http', path: '' }], healthPath: '/status', healthStatus: '200' };

  it('builds the definition the API documents for a bearer token', () => {
    expect(customProvider({ ...base, auth: 'bearer' })).toEqual({
      id: 'acme', environment: 'prod', definition: {
        name: 'Acme API', category: 'Custom', baseUrl: 'https://api.acme.example/v2',
        credentials: { token: { title: 'Token' } }, auth: { type: 'bearer', token: '${secret.token}' },
        services: [{ id: 'api', protocol: 'http' }], healthCheck: { kind: 'request', method: 'GET', path: '/status', expect: { status: [200] } },
      },
    });
  });

  it('maps the other auth schemes; no health path means passive health', () => {
    const def = (x: Partial<typeof base> & { auth: any }) => (customProvider({ ...base, ...x }).definition as any);
    expect(def({ auth: 'header', authName: 'X-Key', authPrefix: 'Token ' }).auth).toEqual({ type: 'header', headers: { 'X-Key': 'Token ${secret.token}' } });
    expect(def({ auth: 'query', authName: 'key' }).auth).toEqual({ type: 'query', params: { key: '${secret.token}' } });
    expect(def({ auth: 'authorization', authName: 'ApiKey' }).auth).toEqual({ type: 'authorization', scheme: 'ApiKey', credentials: '${secret.token}' });
    expect(def({ auth: 'basic' }).credentials).toEqual({ username: { title: 'Username' }, password: { title: 'Password' } });
    expect(def({ auth: 'none' }).credentials).toBeUndefined();
    expect(def({ auth: 'bearer', healthPath: ' ' }).healthCheck).toEqual({ kind: 'passive' });
  });
});

describe('key actions', () => {
  it('offers only what the vault accepts in each state', () => {
    expect(keyActions({ status: 'active', default: true })).toEqual(['rotate', 'suspend', 'revoke']);
    expect(keyActions({ status: 'active', default: false })).toEqual(['rotate', 'default', 'suspend', 'revoke']);
    expect(keyActions({ status: 'suspended', default: false })).toEqual(['rotate', 'activate', 'revoke']);
    expect(keyActions({ status: 'staged', default: false })).toEqual(['rotate', 'activate', 'suspend', 'revoke']);
    expect(keyActions({ status: 'revoked', default: false })).toEqual(['delete']);
  });

  it('tells when rotation is due', () => {
    expect(rotationState({ rotationDueInDays: -2 })).toBe('overdue');
    expect(rotationState({ rotationDueInDays: 10 })).toBe('soon');
    expect(rotationState({ rotationDueInDays: 60 })).toBe('ok');
    expect(rotationState({})).toBeNull();
  });
});

describe('problems the console translates', () => {
  it('knows the API\'s "no active key" and unknown template problems, passes others through', async () => {
    const { problemKey } = await import('../../../admin/src/lib/providers.ts');
    expect(problemKey('no active key: requests to this provider fail until a key is added or activated')).toBe('providers.problem.noKey');
    expect(problemKey('template "x" is not in the catalog')).toBe('providers.problem.noTemplate');
    expect(problemKey('commit 1234567 was rejected: providers/x.yaml:1:1: bad')).toBeNull();
  });
});
