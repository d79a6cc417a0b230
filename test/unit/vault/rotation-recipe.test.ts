// The rotation recipe against a real (mock) provider on 127.0.0.1: creating a key with the
// current one, extracting its credentials and id, revoking by id; errors that never repeat a secret.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { ProviderTemplate, Rotation } from '../../../schemas/types.gen.ts';
import { SilError } from '../../../server/errors.ts';
import { answerExcerpt, createKeyWithRecipe, recipeProvider, revokeKeyWithRecipe, valueAt, type FetchLike } from '../../../server/vault/rotation-recipe.ts';
import { startMockKeyProvider, type MockKeyProvider } from '../../helpers/mock-key-provider.ts';

const ROTATION: Rotation = {
  create: { request: { method: 'POST', path: '/keys' }, extract: { apiKey: 'body:secret', providerKeyId: 'body:id' } },
  revoke: { request: { method: 'DELETE', path: '/keys/${key.id}' } },
};

const definition = (rotation: Rotation | undefined = ROTATION, extra: Partial<ProviderTemplate> = {}): ProviderTemplate => ({
  name: 'Mock keys',
  category: 'Custom',
  baseUrl: 'https://example.invalid/v1',
  credentials: { apiKey: { title: 'API key' } },
  auth: { type: 'bearer', token: '${secret.apiKey}' },
  services: [{ id: 'api', protocol: 'http', path: '/' }],
  ...(rotation ? { rotation } : {}),
  ...extra,
});

const caught = async (p: Promise<unknown>): Promise<SilError> => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(SilError);
  return err as SilError;
};

describe('rotation recipe', () => {
  let mock: MockKeyProvider;
  let nested: MockKeyProvider;
  const provider = () => ({ id: 'mock', connection: {}, baseUrl: `${mock.url}/v1` });

  beforeAll(async () => {
    mock = await startMockKeyProvider();
    nested = await startMockKeyProvider({ answer: (k) => ({ data: { keys: [{ kind: 'api', token: { value: k.secret } }] }, meta: { id: k.id, n: 7 } }) });
  });
  afterAll(async () => {
    await mock.close();
    await nested.close();
  });

  it('creates a key with the current one and extracts its secret and provider id', async () => {
    const before = mock.requests.length;
    const created = await createKeyWithRecipe({ definition: definition(), provider: provider(), currentSecret: { apiKey: mock.seed.secret }, currentKey: { id: 'primary', providerKeyId: mock.seed.id } });
    expect(created.providerKeyId).toMatch(/^key_\d+$/);
    expect(created.secret.apiKey).toMatch(/^mk-[A-Za-z0-9_-]{32}$/);
    expect(Object.keys(created.secret)).toEqual(['apiKey']);
    expect(mock.requests.slice(before)).toEqual([{ method: 'POST', path: '/v1/keys', keyId: mock.seed.id }]);
    expect(mock.liveKeys()).toContainEqual({ id: created.providerKeyId, secret: created.secret.apiKey });
    expect(await mock.modelsStatus(created.secret.apiKey)).toBe(200);
  });

  it('follows nested paths with list indexes, a request base URL of its own, and carries other credentials over', async () => {
    const rotation: Rotation = {
      create: { request: { method: 'POST', baseUrl: '${connection.adminUrl}', path: '/keys', headers: { 'X-Account': '${secret.account}' } }, extract: { apiKey: 'body:data.keys[0].token.value', providerKeyId: 'body:meta.id' } },
      revoke: ROTATION.revoke,
    };
    const def = definition(rotation, {
      connection: { adminUrl: { title: 'Admin URL', format: 'uri' } },
      credentials: { apiKey: { title: 'API key' }, account: { title: 'Account' } },
    });
    const p = recipeProvider({ id: 'nested', connection: { adminUrl: `${nested.url}/v1` } }, def);
    expect(p).toEqual({ id: 'nested', connection: { adminUrl: `${nested.url}/v1` }, baseUrl: 'https://example.invalid/v1' });
    const created = await createKeyWithRecipe({ definition: def, provider: p, currentSecret: { apiKey: nested.seed.secret, account: 'acct-1' } });
    expect(created.providerKeyId).toBe('key_2');
    expect(created.secret).toEqual({ account: 'acct-1', apiKey: nested.liveKeys().find((k) => k.id === 'key_2')?.secret });

    expect(valueAt({ a: [{ b: 1 }, { b: 'x' }] }, 'a.1.b')).toBe('x');
    expect(valueAt({ a: [{ b: 1 }] }, 'a[0].b')).toBe(1);
    expect(valueAt({ a: { b: 1 } }, 'a.toString')).toBeUndefined();
    expect(valueAt({ a: 1 }, 'a.b.c')).toBeUndefined();
  });

  it('reports a non-2xx answer with its status and an excerpt that holds no secret', async () => {
    const secret = mock.seed.secret;
    mock.failNext(500, JSON.stringify({ error: { message: `internal failure for key ${secret}`, trace: 'tok_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345' } }));
    const err = await caught(createKeyWithRecipe({ definition: definition(), provider: provider(), currentSecret: { apiKey: secret } }));
    expect(err.code).toBe('SIL_KEY_PROVIDER');
    expect(err.message).toMatch(/creating a key for provider "mock": POST http:\/\/127\.0\.0\.1:\d+ answered 500: .*internal failure for key \[redacted\]/);
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain(secret.slice(3, 20));
    expect(err.message).not.toContain('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    expect(err.message).not.toContain('/v1/keys');

    // A dead key: the provider says 401; the message names the status, not the key.
    const dead = `mk-${'Z'.repeat(32)}`;
    const e401 = await caught(createKeyWithRecipe({ definition: definition(), provider: provider(), currentSecret: { apiKey: dead } }));
    expect(e401.message).toMatch(/answered 401: \{"error":\{"message":"invalid or revoked API key"\}\}/);
    expect(e401.message).not.toContain(dead);
    expect(JSON.stringify(e401)).not.toContain(dead);
  });

  it('refuses an answer without the extracted fields, or not JSON, saying a key may exist at the provider', async () => {
    const missing = await caught(createKeyWithRecipe({
      definition: definition({ ...ROTATION, create: { ...ROTATION.create, extract: { apiKey: 'body:key.secret', providerKeyId: 'body:id' } } }),
      provider: provider(),
      currentSecret: { apiKey: mock.seed.secret },
    }));
    expect(missing.code).toBe('SIL_KEY_PROVIDER');
    expect(missing.message).toMatch(/has no value at body:key\.secret for the credential "apiKey"; a key may have been created at the provider: .* \(provider key id key_\d+\)/);
    expect(missing.message).not.toMatch(/mk-/);

    mock.failNext(201, 'created', 'text/plain');
    const text = await caught(createKeyWithRecipe({ definition: definition(), provider: provider(), currentSecret: { apiKey: mock.seed.secret } }));
    expect(text.message).toMatch(/the answer \(status 201\) is not JSON; a key may have been created/);
  });

  it('refuses an extract field that is not a credential, a header source, or no credential at all, before sending anything', async () => {
    const before = mock.requests.length;
    const unknown = await caught(createKeyWithRecipe({
      definition: definition({ ...ROTATION, create: { ...ROTATION.create, extract: { apiKey: 'body:secret', token: 'body:secret' } } }),
      provider: provider(),
      currentSecret: { apiKey: mock.seed.secret },
    }));
    expect(unknown).toMatchObject({ code: 'SIL_CONFIG_TEMPLATE', message: expect.stringMatching(/"token" is neither a credential of provider "mock" \(apiKey\) nor providerKeyId/) });
    const header = await caught(createKeyWithRecipe({
      definition: definition({ ...ROTATION, create: { ...ROTATION.create, extract: { apiKey: 'header:x-new-key' } } }),
      provider: provider(),
      currentSecret: { apiKey: mock.seed.secret },
    }));
    expect(header.message).toMatch(/only body:<path> sources are supported/);
    const idOnly = await caught(createKeyWithRecipe({
      definition: definition({ ...ROTATION, create: { ...ROTATION.create, extract: { providerKeyId: 'body:id' } } }),
      provider: provider(),
      currentSecret: { apiKey: mock.seed.secret },
    }));
    expect(idOnly.message).toMatch(/extracts no credential/);
    expect(mock.requests.length).toBe(before);
  });

  it('says rotation is manual for a template without a recipe', async () => {
    const { rotation: _r, ...manual } = definition();
    const m = await caught(createKeyWithRecipe({ definition: manual, provider: provider(), currentSecret: { apiKey: 'x' } }));
    expect(m.code).toBe('SIL_KEY_ROTATION_MANUAL');
    expect(m.message).toBe('rotation for provider "mock" is manual: its template has no rotation recipe');
    expect(m.hint).toMatch(/sil keys rotate mock/);
    await expect(revokeKeyWithRecipe({ definition: manual, provider: provider(), authSecret: { apiKey: 'x' }, oldKey: { id: 'a', providerKeyId: 'key_1' } })).rejects.toMatchObject({ code: 'SIL_KEY_ROTATION_MANUAL' });
  });

  it('revokes by provider id with another key: 204 once, then 404 counts as already revoked', async () => {
    const created = await createKeyWithRecipe({ definition: definition(), provider: provider(), currentSecret: { apiKey: mock.seed.secret } });
    const victim = { id: 'old', providerKeyId: created.providerKeyId };
    expect(await mock.modelsStatus(created.secret.apiKey)).toBe(200);
    const r = await revokeKeyWithRecipe({ definition: definition(), provider: provider(), authSecret: { apiKey: mock.seed.secret }, oldKey: victim });
    expect(r).toEqual({ status: 204, alreadyRevoked: false });
    expect(await mock.modelsStatus(created.secret.apiKey)).toBe(401);
    expect(mock.requests.at(-2)).toEqual({ method: 'DELETE', path: `/v1/keys/${created.providerKeyId}`, keyId: mock.seed.id });
    const again = await revokeKeyWithRecipe({ definition: definition(), provider: provider(), authSecret: { apiKey: mock.seed.secret }, oldKey: victim });
    expect(again).toEqual({ status: 404, alreadyRevoked: true });
  });

  it('refuses to revoke without a provider key id, and reports a refusal without the secret', async () => {
    const noId = await caught(revokeKeyWithRecipe({ definition: definition(), provider: provider(), authSecret: { apiKey: mock.seed.secret }, oldKey: { id: 'legacy' } }));
    expect(noId).toMatchObject({ code: 'SIL_KEY_STATE', message: expect.stringContaining('key "legacy" has no providerKeyId') });
    const dead = `mk-${'Y'.repeat(32)}`;
    const refused = await caught(revokeKeyWithRecipe({ definition: definition(), provider: provider(), authSecret: { apiKey: dead }, oldKey: { id: 'x', providerKeyId: mock.seed.id } }));
    expect(refused.code).toBe('SIL_KEY_PROVIDER');
    expect(refused.message).toMatch(/revoking key "x" of provider "mock" at the provider: DELETE http:\/\/127\.0\.0\.1:\d+ answered 401/);
    expect(refused.message).not.toContain(dead);
    expect(mock.liveKeys().map((k) => k.id)).toContain(mock.seed.id);

    // ${key.id} in a create request needs the current key's provider id.
    const byId = definition({ ...ROTATION, create: { ...ROTATION.create, request: { method: 'POST', path: '/keys/${key.id}/roll' } } });
    await expect(createKeyWithRecipe({ definition: byId, provider: provider(), currentSecret: { apiKey: mock.seed.secret }, currentKey: { id: 'primary' } })).rejects.toMatchObject({ code: 'SIL_KEY_STATE' });
  });

  it('sends time-bounded requests without following redirects, and names failures without the URL', async () => {
    const seen: RequestInit[] = [];
    const timeout: FetchLike = async (_url, init) => {
      seen.push(init);
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    };
    const err = await caught(createKeyWithRecipe({ definition: definition(), provider: { id: 'mock', connection: {}, baseUrl: 'http://127.0.0.1:9/v1?token=abc' }, currentSecret: { apiKey: 'sekrit-value' }, fetch: timeout }));
    expect(err.message).toBe('creating a key for provider "mock": no answer from http://127.0.0.1:9 (timed out after 10 s)');
    expect(seen[0].signal).toBeInstanceOf(AbortSignal);
    expect(seen[0].redirect).toBe('manual');
    expect(seen[0].headers).toMatchObject({ Accept: 'application/json', Authorization: 'Bearer sekrit-value' });
  });

  it('cuts secrets and token-like runs out of excerpts, and keeps them short', () => {
    expect(answerExcerpt('bad key abcd1234 here', ['abcd1234'])).toBe('bad key [redacted] here');
    expect(answerExcerpt(`x ${'a'.repeat(30)} y`)).toBe('x [redacted] y');
    expect(answerExcerpt('line1\n\n\tline2')).toBe('line1 line2');
    expect(answerExcerpt('')).toBe('(empty answer)');
    expect(answerExcerpt('word '.repeat(100))).toHaveLength(161);
  });
});
