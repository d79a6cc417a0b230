// Runs a template's `rotation` recipe against the provider: create a new key with the current
// one, revoke an old key by its provider id. The requests are rendered from template data with
// renderRequest (the template's auth scheme, the key's secret values), sent with an injected
// fetch, time-bounded; answers are checked and the new key's credentials extracted.
//
// SECURITY: no message here repeats a secret. Excerpts of provider answers have the secret values
// known to us and every long token-like run of characters cut out; URLs are named by origin only
// (path and query auth put secrets in them).
import { compileOrigins, type OriginMap } from '../auth-schemes/origins.ts';
import type { AuthScheme, ProviderTemplate, Request as RecipeRequest, Rotation } from '../../schemas/types.gen.ts';
import { SilError } from '../errors.ts';
import { placeholders, render } from '../core/template-string.ts';
import { renderRequest } from '../auth-schemes/render-request.ts';
import type { RequestParts } from '../auth-schemes/types.ts';
import type { SecretValues } from './fingerprint.ts';
import type { KeyMeta } from './provider-keyring.ts';
import { derivedFields, withDerived, type DerivedField } from '../config/derived-connection.ts';

/** How long one recipe request may take, answer included. */
export const RECIPE_TIMEOUT_MS = 10_000;
/** Larger answers are refused (a key-management endpoint answers a few hundred bytes). */
const MAX_ANSWER_CHARS = 1_000_000;
const EXCERPT_CHARS = 160;

export type FetchLike = (url: URL, init: RequestInit) => Promise<Response>;

/** What a recipe needs of a provider instance: a CompiledProvider fits. */
export interface RecipeProvider {
  id: string;
  /** Connection values, template defaults included. */
  connection: Readonly<Record<string, string | number | boolean>>;
  /** The provider's base URL with connection values filled in. */
  baseUrl: string;
  /** The auth option the instance picked, if any. */
  authOption?: string;
  /** providers/<id>.yaml `origins:` (server/auth-schemes/origins.ts). */
  origins?: OriginMap;
  /** Connection fields derived from a credential (server/config/derived-connection.ts). */
  derived?: readonly DerivedField[];
}

/** The RecipeProvider of an instance file and its definition (as the compiler builds it). */
export function recipeProvider(instance: { id: string; connection?: Record<string, unknown>; authOption?: string; origins?: Record<string, string> }, definition: ProviderTemplate): RecipeProvider {
  const connection: Record<string, string | number | boolean> = {};
  for (const [name, spec] of Object.entries(definition.connection ?? {})) if (spec.default !== undefined) connection[name] = spec.default;
  for (const [name, value] of Object.entries(instance.connection ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') connection[name] = value;
  }
  const optionBase = instance.authOption ? definition.authOptions?.[instance.authOption]?.baseUrl : undefined;
  const base = typeof instance.connection?.baseUrl === 'string' ? instance.connection.baseUrl : optionBase ?? definition.baseUrl;
  const origins = compileOrigins(instance.origins);
  const derived = derivedFields(definition, instance.connection);
  return { id: instance.id, connection, baseUrl: render(base, { connection }, true), ...(instance.authOption ? { authOption: instance.authOption } : {}), ...(origins ? { origins } : {}), ...(derived ? { derived } : {}) };
}

function authOf(definition: ProviderTemplate, provider: RecipeProvider): AuthScheme {
  return (provider.authOption && definition.authOptions?.[provider.authOption]?.auth) || definition.auth;
}

/** The credential names of one key of this provider (those of its auth option, if it has its own). */
function ownCredentials(definition: ProviderTemplate, provider: RecipeProvider): string[] {
  return Object.keys((provider.authOption && definition.authOptions?.[provider.authOption]?.credentials) || definition.credentials || {});
}

export interface CheckedRecipe {
  rotation: Rotation;
  /** Credential name → dotted path in the JSON answer. */
  credentials: Map<string, string>;
  /** Dotted path of the provider's id of the new key, when the recipe extracts it. */
  providerKeyId?: string;
}

/**
 * The provider's recipe, checked before anything is sent (a key created by a recipe that cannot
 * be stored is a live key nobody holds): SIL_KEY_ROTATION_MANUAL without one.
 */
export function checkRecipe(definition: ProviderTemplate, provider: RecipeProvider): CheckedRecipe {
  const rotation = definition.rotation;
  if (!rotation) {
    throw new SilError('SIL_KEY_ROTATION_MANUAL', `rotation for provider "${provider.id}" is manual: its template has no rotation recipe`, {
      hint: `create the new key at the provider, then \`printf %s "$NEW_KEY" | sil keys rotate ${provider.id}\` (the new secret on stdin)`,
    });
  }
  const own = ownCredentials(definition, provider);
  const credentials = new Map<string, string>();
  let providerKeyId: string | undefined;
  for (const [name, source] of Object.entries(rotation.create.extract)) {
    const m = /^body:(.+)$/.exec(source);
    if (!m) {
      throw new SilError('SIL_CONFIG_TEMPLATE', `rotation.create.extract.${name}: only body:<path> sources are supported, not "${source}"`, { hint: 'read the value from the JSON answer, e.g. body:key.secret' });
    }
    if (name === 'providerKeyId') providerKeyId = m[1];
    else if (own.includes(name)) credentials.set(name, m[1]);
    else {
      throw new SilError('SIL_CONFIG_TEMPLATE', `rotation.create.extract: "${name}" is neither a credential of provider "${provider.id}" (${own.join(', ') || 'none'}) nor providerKeyId`, {
        hint: 'name each credential of the template under extract, and providerKeyId for the provider\'s own id of the key',
      });
    }
  }
  if (credentials.size === 0) {
    throw new SilError('SIL_CONFIG_TEMPLATE', `rotation.create.extract of provider "${provider.id}" extracts no credential`, { hint: `map at least one of ${own.join(', ') || 'its credentials'} to body:<path>` });
  }
  return { rotation, credentials, ...(providerKeyId ? { providerKeyId } : {}) };
}

/** `a.b[0].c` (or `a.b.0.c`) → ['a', 'b', 0, 'c']. */
function segments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || (m[1] === '' && m[2] === '')) throw new SilError('SIL_CONFIG_TEMPLATE', `rotation.create.extract: "${path}" is not a dotted path`);
    if (m[1] !== '') out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** The value at a dotted path of a parsed JSON answer; undefined when there is none. */
export function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const s of segments(path)) {
    if (Array.isArray(value)) {
      const i = typeof s === 'number' ? s : /^\d+$/.test(s) ? Number(s) : -1;
      value = i >= 0 ? value[i] : undefined;
    } else if (typeof s === 'string' && value !== null && typeof value === 'object' && Object.hasOwn(value, s)) {
      value = (value as Record<string, unknown>)[s];
    } else return undefined;
  }
  return value;
}

/** A short excerpt of an answer for messages: known secrets and token-like runs cut out. */
export function answerExcerpt(text: string, secrets: Iterable<string> = []): string {
  let t = text;
  for (const s of secrets) if (s.length >= 4) t = t.split(s).join('[redacted]');
  t = t.replace(/[A-Za-z0-9_\-+/=.~:]{24,}/g, '[redacted]');
  // eslint-disable-next-line no-control-regex
  t = t.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (t === '') return '(empty answer)';
  return t.length > EXCERPT_CHARS ? `${t.slice(0, EXCERPT_CHARS)}…` : t;
}

function usesKeyId(req: RecipeRequest): boolean {
  const texts = [req.path, req.baseUrl ?? '', req.body ?? '', ...Object.values(req.headers ?? {})];
  return texts.some((t) => placeholders(t).some((p) => p.namespace === 'key' && p.name === 'id'));
}

function buildRequest(req: RecipeRequest, definition: ProviderTemplate, provider: RecipeProvider, secret: SecretValues, keyId: string | undefined, now: () => Date): RequestParts {
  const headers: Record<string, string> = { Accept: 'application/json', ...definition.headers };
  const body = req.body;
  const own = Object.entries(req.headers ?? {});
  if (body !== undefined && /^\s*[[{]/.test(body) && !own.some(([n]) => n.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  // Header names differ in case across sources: the recipe's own win.
  for (const [name, value] of own) {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
    headers[name] = value;
  }
  return renderRequest(
    { baseUrl: req.baseUrl ?? provider.baseUrl, path: req.path, method: req.method, headers, query: definition.query, body, auth: authOf(definition, provider) },
    { connection: withDerived(provider.connection, provider.derived, secret), origins: provider.origins, secret, keyId, now },
  );
}

interface Answer { status: number; text: string }

async function send(parts: RequestParts, fetchFn: FetchLike, what: string): Promise<Answer> {
  let res: Response;
  try {
    res = await fetchFn(parts.url, {
      method: parts.method,
      headers: parts.headers,
      body: parts.body as RequestInit['body'],
      redirect: 'manual',
      signal: AbortSignal.timeout(RECIPE_TIMEOUT_MS),
    });
  } catch (err) {
    throw new SilError('SIL_KEY_PROVIDER', `${what}: no answer from ${parts.url.origin} (${failure(err)})`, { cause: err });
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new SilError('SIL_KEY_PROVIDER', `${what}: the answer of ${parts.url.origin} (status ${res.status}) could not be read (${failure(err)})`, { cause: err });
  }
  if (text.length > MAX_ANSWER_CHARS) throw new SilError('SIL_KEY_PROVIDER', `${what}: the answer of ${parts.url.origin} (status ${res.status}) is larger than ${MAX_ANSWER_CHARS} characters`);
  return { status: res.status, text };
}

/** Why a request failed, without its URL (which may hold a secret). */
function failure(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError') return `timed out after ${RECIPE_TIMEOUT_MS / 1000} s`;
  return e?.cause?.code ?? e?.code ?? e?.name ?? 'error';
}

const ok = (status: number) => status >= 200 && status < 300;

export interface CreateKeyInput {
  definition: ProviderTemplate;
  provider: RecipeProvider;
  /** The secret values of the key that authenticates the create request (the current key). */
  currentSecret: SecretValues;
  /** The current key: its providerKeyId fills `${key.id}` in the create request. */
  currentKey?: Pick<KeyMeta, 'id' | 'providerKeyId'>;
  fetch?: FetchLike;
  now?: () => Date;
}

export interface CreatedKey {
  /** The new key's credentials: the extracted ones, the others carried over from the current key. */
  secret: SecretValues;
  providerKeyId?: string;
}

/** Creates a key at the provider with the template's recipe and extracts its credentials. */
export async function createKeyWithRecipe(input: CreateKeyInput): Promise<CreatedKey> {
  const { definition, provider } = input;
  const recipe = checkRecipe(definition, provider);
  const req = recipe.rotation.create.request;
  const what = `creating a key for provider "${provider.id}"`;
  if (usesKeyId(req) && !input.currentKey?.providerKeyId) {
    throw new SilError('SIL_KEY_STATE', `${what}: the create request uses \${key.id}, but key "${input.currentKey?.id ?? '?'}" has no providerKeyId`, {
      hint: 'record the provider\'s id of the key (`sil keys add --provider-key-id ID`), or rotate by hand',
    });
  }
  const parts = buildRequest(req, definition, provider, input.currentSecret, input.currentKey?.providerKeyId, input.now ?? (() => new Date()));
  const answer = await send(parts, input.fetch ?? fetch, what);
  const known = Object.values(input.currentSecret);
  if (!ok(answer.status)) {
    throw new SilError('SIL_KEY_PROVIDER', `${what}: ${parts.method} ${parts.url.origin} answered ${answer.status}: ${answerExcerpt(answer.text, known)}`);
  }
  const maybeCreated = 'a key may have been created at the provider: check its console and revoke it by hand';
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new SilError('SIL_KEY_PROVIDER', `${what}: the answer (status ${answer.status}) is not JSON; ${maybeCreated}`);
  }
  let providerKeyId: string | undefined;
  if (recipe.providerKeyId) {
    const v = valueAt(body, recipe.providerKeyId);
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') providerKeyId = String(v);
    else throw new SilError('SIL_KEY_PROVIDER', `${what}: the answer (status ${answer.status}) has no value at body:${recipe.providerKeyId} for providerKeyId; ${maybeCreated}`);
  }
  const extracted: Record<string, string> = {};
  for (const [name, path] of recipe.credentials) {
    const v = valueAt(body, path);
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') extracted[name] = String(v);
    else {
      const id = providerKeyId ? ` (provider key id ${providerKeyId})` : '';
      throw new SilError('SIL_KEY_PROVIDER', `${what}: the answer (status ${answer.status}) has no ${v === undefined ? '' : 'text '}value at body:${path} for the credential "${name}"; ${maybeCreated}${id}`);
    }
  }
  const own = ownCredentials(definition, provider);
  const carried = Object.fromEntries(Object.entries(input.currentSecret).filter(([n]) => own.includes(n) && !(n in extracted)));
  return { secret: { ...carried, ...extracted }, ...(providerKeyId ? { providerKeyId } : {}) };
}

export interface RevokeKeyInput {
  definition: ProviderTemplate;
  provider: RecipeProvider;
  /** The secret values that authenticate the revoke request: the new key's (the old one may already be dead). */
  authSecret: SecretValues;
  /** The key to revoke: its providerKeyId fills `${key.id}`. */
  oldKey: Pick<KeyMeta, 'id' | 'providerKeyId'>;
  fetch?: FetchLike;
  now?: () => Date;
}

/** Revokes a key at the provider with the template's recipe; a 404 counts as already revoked. */
export async function revokeKeyWithRecipe(input: RevokeKeyInput): Promise<{ status: number; alreadyRevoked: boolean }> {
  const { definition, provider, oldKey } = input;
  const recipe = checkRecipe(definition, provider);
  const req = recipe.rotation.revoke.request;
  const what = `revoking key "${oldKey.id}" of provider "${provider.id}" at the provider`;
  if (usesKeyId(req) && !oldKey.providerKeyId) {
    throw new SilError('SIL_KEY_STATE', `${what}: key "${oldKey.id}" has no providerKeyId, which the revoke request needs for \${key.id}`, {
      hint: `revoke it in the provider's console, then \`sil keys revoke ${provider.id} ${oldKey.id}\``,
    });
  }
  const parts = buildRequest(req, definition, provider, input.authSecret, oldKey.providerKeyId, input.now ?? (() => new Date()));
  const answer = await send(parts, input.fetch ?? fetch, what);
  if (answer.status === 404) return { status: 404, alreadyRevoked: true };
  if (!ok(answer.status)) {
    throw new SilError('SIL_KEY_PROVIDER', `${what}: ${parts.method} ${parts.url.origin} answered ${answer.status}: ${answerExcerpt(answer.text, Object.values(input.authSecret))}`);
  }
  return { status: answer.status, alreadyRevoked: false };
}
