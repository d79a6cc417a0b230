// The bindings, clients and history screens' pure logic (admin/src/lib/bindings.ts and
// history.ts): reordering targets by keyboard and by drag, the binding and client forms to and
// from the API's documents, provider choices, and diff lines as the history shows them.
import { describe, expect, it } from 'vitest';
import {
  ADAPTED_PROTOCOLS, bindingOf, canServe, clientFormOf, clientOf, DEFAULT_ON, dragShift, dropIndex, formOf, formProblems, keyMove,
  modelsFor, move, newRow, parseConditions, providerGroups, issuesByProvider, PROTOCOLS, STRATEGIES, activeTokens,
  type Binding, type Client, type ProviderChoice,
} from '../../../admin/src/lib/bindings.ts';
import { commitParam, diffLines, diffStats, lineKind, messageBody, revertedBy, shortId, signatureTone } from '../../../admin/src/lib/history.ts';
import { ADAPTED_PROTOCOLS as SERVER_ADAPTED } from '../../../server/protocols/compatibility.ts';
import bindingSchema from '../../../schemas/binding.schema.json' with { type: 'json' };
import templateSchema from '../../../schemas/provider-template.schema.json' with { type: 'json' };

describe('reordering targets', () => {
  const list = ['a', 'b', 'c', 'd'];

  it('moves an item to an index, leaving the input alone and clamping past the ends', () => {
    expect(move(list, 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(move(list, 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(move(list, 1, 1)).toEqual(list);
    expect(move(list, 1, 99)).toEqual(['a', 'c', 'd', 'b']);
    expect(move(list, 2, -5)).toEqual(['c', 'a', 'b', 'd']);
    expect(move(list, 7, 0)).toEqual(list);
    expect(list).toEqual(['a', 'b', 'c', 'd']);
  });

  it('moves by keyboard: Arrow Up/Down one place, Home/End to the ends, nothing past an end', () => {
    expect(keyMove('ArrowUp', 2, 4)).toBe(1);
    expect(keyMove('ArrowDown', 2, 4)).toBe(3);
    expect(keyMove('Home', 2, 4)).toBe(0);
    expect(keyMove('End', 1, 4)).toBe(3);
    expect(keyMove('ArrowUp', 0, 4)).toBeNull();
    expect(keyMove('ArrowDown', 3, 4)).toBeNull();
    expect(keyMove('Home', 0, 4)).toBeNull();
    expect(keyMove('End', 3, 4)).toBeNull();
    expect(keyMove('Enter', 1, 4)).toBeNull();
    expect(keyMove('ArrowLeft', 1, 4)).toBeNull();
    expect(keyMove('ArrowDown', 0, 1)).toBeNull();
  });

  it('walks an item from the bottom to the top with repeated Arrow Up presses', () => {
    let rows = [...list];
    let at = 3;
    for (let to = keyMove('ArrowUp', at, rows.length); to !== null; to = keyMove('ArrowUp', at, rows.length)) {
      rows = move(rows, at, to);
      at = to;
    }
    expect(rows).toEqual(['d', 'a', 'b', 'c']);
    expect(at).toBe(0);
  });

  // Four rows 50 px tall, 10 px apart: midpoints at 25, 85, 145, 205.
  const mids = [25, 85, 145, 205];

  it('drops a dragged row after the rows whose midpoint the pointer passed', () => {
    expect(dropIndex(mids, 0, 20)).toBe(0); // barely moved
    expect(dropIndex(mids, 0, 84)).toBe(0); // not yet past b's middle
    expect(dropIndex(mids, 0, 86)).toBe(1); // past b: a goes after it
    expect(dropIndex(mids, 0, 500)).toBe(3); // below everything
    expect(dropIndex(mids, 3, 0)).toBe(0); // d dragged to the top
    expect(dropIndex(mids, 3, 100)).toBe(2); // between b and c
    expect(dropIndex(mids, 1, 85)).toBe(1); // on its own midpoint: stays
    // what the list looks like after dropping
    expect(move(list, 0, dropIndex(mids, 0, 150))).toEqual(['b', 'c', 'a', 'd']);
    expect(move(list, 3, dropIndex(mids, 3, 30))).toEqual(['a', 'd', 'b', 'c']);
  });

  it('shifts the rows a dragged row passes to make room, the others stay', () => {
    // a (0) dragged to 2: b and c move up, d stays
    expect([0, 1, 2, 3].map((i) => dragShift(i, 0, 2))).toEqual([0, -1, -1, 0]);
    // d (3) dragged to 1: b and c move down, a stays
    expect([0, 1, 2, 3].map((i) => dragShift(i, 3, 1))).toEqual([0, 1, 1, 0]);
    expect([0, 1, 2, 3].map((i) => dragShift(i, 2, 2))).toEqual([0, 0, 0, 0]);
  });
});

describe('the binding form', () => {
  const chat: Binding = {
    name: 'chat',
    environment: 'prod',
    protocol: 'openai-chat',
    strategy: 'priority',
    targets: [
      { provider: 'openai-main', model: 'gpt-4o', key: 'primary' },
      { provider: 'anthropic-main', model: 'claude-sonnet-4-5', weight: 3 },
    ],
    failover: { on: ['connect-error', 'timeout', '429', '5xx'], timeoutMs: 20000, maxAttempts: 3, circuitBreaker: { errorRate: 0.5, minRequests: 20 } },
    policy: 'ai-default',
  };

  it('gives the same document back when nothing changed, keeping fields the form does not show', () => {
    const form = formOf(chat);
    expect(form.targets.map((r) => [r.provider, r.model, r.weight])).toEqual([['openai-main', 'gpt-4o', ''], ['anthropic-main', 'claude-sonnet-4-5', '3']]);
    expect(bindingOf(form, chat)).toEqual(chat);
  });

  it('writes the new order of the targets, each with its own model and extra fields', () => {
    const form = formOf(chat);
    const out = bindingOf({ ...form, targets: move(form.targets, 1, 0) }, chat);
    expect(out.targets).toEqual([{ provider: 'anthropic-main', model: 'claude-sonnet-4-5', weight: 3 }, { provider: 'openai-main', model: 'gpt-4o', key: 'primary' }]);
    expect(out.failover).toEqual(chat.failover);
  });

  it('gives rows identities that survive moves', () => {
    const rows = [newRow('a'), newRow('b'), newRow('c')];
    expect(new Set(rows.map((r) => r.uid)).size).toBe(3);
    expect(move(rows, 2, 0).map((r) => r.uid)).toEqual([rows[2].uid, rows[0].uid, rows[1].uid]);
  });

  it('writes a new binding with only what was set: default strategy and failover left out', () => {
    const form = { ...formOf(null, 'dev'), name: ' chat ', targets: [newRow('openai-dev', 'gpt-4o-mini'), newRow('anthropic-dev')] };
    expect(form.on).toEqual(DEFAULT_ON);
    expect(bindingOf(form)).toEqual({ name: 'chat', environment: 'dev', protocol: 'openai-chat', targets: [{ provider: 'openai-dev', model: 'gpt-4o-mini' }, { provider: 'anthropic-dev' }] });
    const changed = bindingOf({ ...form, strategy: 'weighted', on: ['timeout', '503'], timeoutMs: '5000', retrySafe: true, enabled: false, description: ' Chat ', policy: 'p1' });
    expect(changed).toMatchObject({ strategy: 'weighted', enabled: false, description: 'Chat', policy: 'p1', failover: { on: ['timeout', '503'], timeoutMs: 5000, retrySafe: true } });
  });

  it('removes failover fields emptied in the form and keeps an explicit default `on`', () => {
    const form = formOf(chat);
    const out = bindingOf({ ...form, timeoutMs: '', maxAttempts: '' }, chat);
    expect(out.failover).toEqual({ on: DEFAULT_ON, circuitBreaker: { errorRate: 0.5, minRequests: 20 } });
  });

  it('finds what it can before sending: name, targets, providers, numbers, conditions', () => {
    const ok = { ...formOf(chat) };
    expect(formProblems(ok)).toEqual({});
    expect(formProblems({ ...ok, name: 'Chat!' })).toEqual({ name: true });
    expect(formProblems({ ...ok, targets: [] })).toEqual({ targets: true });
    expect(formProblems({ ...ok, targets: [...ok.targets, newRow()] })).toEqual({ provider: true });
    expect(formProblems({ ...ok, targets: [{ ...ok.targets[0], weight: '1001' }] })).toEqual({ weight: true });
    expect(formProblems({ ...ok, timeoutMs: '50', maxAttempts: '11' })).toEqual({ timeoutMs: true, maxAttempts: true });
    expect(formProblems({ ...ok, on: ['timeout', 'sometimes'] })).toEqual({ on: true });
  });

  it('reads typed failover conditions like the schema does', () => {
    expect(parseConditions('503, 4XX  408,,nope 600 connect-error')).toEqual({ valid: ['503', '4xx', '408', 'connect-error'], invalid: ['nope', '600'] });
    const pattern = new RegExp(bindingSchema.properties.failover.properties.on.items.pattern);
    for (const c of ['connect-error', 'timeout', '429', '5xx', '408', '4xx']) expect(pattern.test(c), c).toBe(true);
  });

  it('offers the schema\'s strategies and protocols, and the proxy\'s protocol adapters', () => {
    expect([...STRATEGIES]).toEqual(bindingSchema.properties.strategy.enum);
    expect([...PROTOCOLS]).toEqual(templateSchema.$defs.protocol.enum);
    expect(ADAPTED_PROTOCOLS).toEqual(SERVER_ADAPTED);
  });
});

describe('providers for a target', () => {
  const p = (id: string, environment: string, protocol: string): ProviderChoice => ({ id, name: id, template: null, environment, enabled: true, services: [{ id: 's', protocol, enabled: true }] });
  const providers = [p('openai-main', 'prod', 'openai-chat'), p('openai-dev', 'dev', 'openai-chat'), p('anthropic-main', 'prod', 'anthropic-messages'), p('stripe', 'prod', 'http')];

  it('lists providers of the environment that speak the protocol (or one it adapts) first', () => {
    const g = providerGroups(providers, 'prod', 'openai-chat');
    expect(g.fit.map((x) => x.id)).toEqual(['anthropic-main', 'openai-main']);
    expect(g.other.map((x) => x.id)).toEqual(['openai-dev', 'stripe']);
    expect(canServe('openai-chat', 'anthropic-messages')).toBe(true);
    expect(canServe('anthropic-messages', 'openai-chat')).toBe(false);
  });

  it('suggests the catalog models of the services that serve the protocol', () => {
    const template = { services: [{ protocol: 'openai-chat', models: [{ id: 'gpt-4o' }, { id: 'gpt-4o-mini' }] }, { protocol: 'openai-embeddings', models: [{ id: 'text-embedding-3-small' }] }] };
    expect(modelsFor(template, 'openai-chat')).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(modelsFor(template, 'openai-embeddings')).toEqual(['text-embedding-3-small']);
    expect(modelsFor(null, 'openai-chat')).toEqual([]);
  });

  it('groups the validator\'s messages by the provider they name, to show them at its row', () => {
    const issues = [
      { message: 'target provider "openai-dev" is in environment "dev", this binding is in "prod"' },
      { message: 'target provider "nowhere" does not exist; did you mean "openai-main"?' },
      { message: 'target provider "openai-dev" is disabled; requests skip it' },
      { message: 'policy "p" does not exist' },
    ];
    expect(Object.fromEntries(issuesByProvider(issues))).toEqual({
      'openai-dev': [issues[0].message, issues[2].message],
      nowhere: [issues[1].message],
    });
  });
});

describe('the client form', () => {
  const web: Client = {
    name: 'web',
    environment: 'prod',
    bindings: ['chat'],
    ipAllowlist: ['10.0.0.0/8'],
    tokens: [
      { id: 't1', hint: 'abcd', createdAt: '2025-01-01T00:00:00Z', status: 'active' },
      { id: 't2', createdAt: '2025-01-01T00:00:00Z', revokedAt: '2025-02-01T00:00:00Z', status: 'revoked' },
    ],
  };

  it('round-trips a client without ever sending its tokens', () => {
    const form = clientFormOf(web);
    expect(form.ipAllowlist).toBe('10.0.0.0/8');
    expect(clientOf(form, web)).toEqual({ name: 'web', environment: 'prod', bindings: ['chat'], ipAllowlist: ['10.0.0.0/8'] });
    expect(clientOf({ ...form, ipAllowlist: '10.0.0.0/8, 2001:db8::/32\n192.168.1.1/32', bindings: [], enabled: false, policy: 'p' }, web)).toEqual({
      name: 'web', environment: 'prod', enabled: false, ipAllowlist: ['10.0.0.0/8', '2001:db8::/32', '192.168.1.1/32'], policy: 'p',
    });
    expect(clientOf({ ...clientFormOf(null, 'dev'), name: 'batch', bindings: ['*'] })).toEqual({ name: 'batch', environment: 'dev', bindings: ['*'] });
    expect(activeTokens(web)).toBe(1);
  });
});

describe('the history screen', () => {
  const diff = [
    'diff --git a/bindings/chat.yaml b/bindings/chat.yaml',
    'index 1111111..2222222 100644',
    '--- a/bindings/chat.yaml',
    '+++ b/bindings/chat.yaml',
    '@@ -3,4 +3,4 @@ protocol: openai-chat',
    ' targets:',
    '-  - provider: openai-main',
    '+  - provider: anthropic-main',
    '--- a separator that was removed',
    '+++ a line of pluses that was added',
    '\\ No newline at end of file',
    '',
  ].join('\n');

  it('classifies diff lines: file headers only before the first hunk, then what the first character says', () => {
    expect(diffLines(diff).map((l) => l.kind)).toEqual(['meta', 'meta', 'meta', 'meta', 'hunk', 'context', 'del', 'add', 'del', 'add', 'note']);
    expect(diffStats(diff)).toEqual({ added: 2, removed: 2 });
    expect(lineKind('+++ b/x', false)).toBe('meta');
    expect(lineKind('+++ b/x', true)).toBe('add');
    expect(lineKind('new file mode 100644', false)).toBe('meta');
  });

  it('starts over at the next file of a multi-file diff', () => {
    const two = `${diff}diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n`;
    expect(diffLines(two).slice(11).map((l) => l.kind)).toEqual(['meta', 'meta', 'meta', 'hunk', 'del', 'add']);
  });

  it('reads a revert commit, message bodies, ids and signature tones', () => {
    const id = 'a'.repeat(40);
    expect(revertedBy(`revert: bindings: update chat\n\nThis reverts commit ${id}.`)).toBe(id);
    expect(revertedBy('bindings: update chat')).toBeNull();
    expect(messageBody('subject\n\nline 1\nline 2\n')).toBe('line 1\nline 2');
    expect(messageBody('subject only')).toBe('');
    expect(shortId(id)).toBe('aaaaaaa');
    expect(['good', 'unsigned', 'bad', 'unknown-signer'].map(signatureTone)).toEqual(['ok', 'warn', 'danger', 'danger']);
    expect(commitParam(`?commit=${id.toUpperCase()}`)).toBe(id);
    expect(commitParam('?commit=HEAD')).toBeNull();
    expect(commitParam('')).toBeNull();
  });
});
