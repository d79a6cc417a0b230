// /api/clients: the services that call the proxy (clients/<name>.yaml), and their tokens. A
// token is shown once, in the answer that issues it; the file and every other answer hold only
// its id, hint and dates (never the hash).
import { SilError } from '../../errors.ts';
import { generateClientToken, hashToken, tokenHint, tokenStatus, type TokenEntry } from '../../vault/client-token.ts';
import { checkId, onlyFields, stringField, type Handler } from './call.ts';
import { loadNamed, namedFileHandlers } from './named-files.ts';
import { ordered, syncDocument, writeDocument, type JsonObject } from './yaml-edit.ts';
import type { Repo } from './repo.ts';
import type { ClientTokenView } from './answers.ts';
import type { OpId } from './route-table.ts';

const ORDER = ['name', 'description', 'environment', 'enabled', 'bindings', 'ipAllowlist', 'policy', 'tokens'];

const tokensOf = (v: JsonObject): TokenEntry[] => (Array.isArray(v.tokens) ? (v.tokens as TokenEntry[]) : []);

/** A token as answers show it: no hash. */
function tokenView(t: TokenEntry, now: Date): ClientTokenView {
  return {
    id: t.id,
    ...(t.hint ? { hint: t.hint } : {}),
    createdAt: t.createdAt,
    ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}),
    ...(t.revokedAt ? { revokedAt: t.revokedAt } : {}),
    status: tokenStatus(t, now),
  };
}

function nextTokenId(tokens: TokenEntry[]): string {
  const ids = new Set(tokens.map((t) => t.id));
  let n = 1 + Math.max(0, ...tokens.map((t) => /^t(\d+)$/.exec(t.id)).filter((m) => m !== null).map((m) => Number(m[1])));
  while (ids.has(`t${n}`)) n++;
  return `t${n}`;
}

export function clientHandlers(repo: Repo): Record<Extract<OpId, `clients.${string}` | `tokens.${string}`>, Handler> {
  const { deps } = repo;
  const h = namedFileHandlers(repo, {
    folder: 'clients',
    schemaFile: 'client.schema.json',
    field: 'client',
    view: (v) => ({ ...v, tokens: tokensOf(v).map((t) => tokenView(t, deps.now())) }),
    // Tokens are issued and revoked through /tokens only: a `tokens` field in a body is ignored.
    prepare: (next, current) => ordered({ ...next, tokens: current ? current.tokens ?? [] : [] }, ORDER),
  });

  return {
    'clients.list': h.list,
    'clients.get': h.get,
    'clients.create': h.create,
    'clients.replace': h.replace,
    'clients.patch': h.patch,
    'clients.delete': h.remove,

    async 'tokens.create'(call) {
      onlyFields(call.body, ['expiresAt']);
      const name = checkId(call.params.id, 'client name');
      const expiresAt = stringField(call.body, 'expiresAt');
      if (expiresAt !== undefined && Number.isNaN(Date.parse(expiresAt))) throw new SilError('SIL_API_INPUT', '"expiresAt" must be a date-time like 2027-01-01T00:00:00Z');
      const base = await call.base();
      const loaded = await loadNamed(repo, base, 'clients', 'client', name);
      const tokens = tokensOf(loaded.value);
      const tokenId = nextTokenId(tokens);
      const token = generateClientToken();
      const entry: TokenEntry = { id: tokenId, hash: hashToken(token), hint: tokenHint(token), createdAt: deps.now().toISOString(), ...(expiresAt ? { expiresAt } : {}) };
      syncDocument(loaded.doc, { ...loaded.value, tokens: [...tokens, entry] });
      const answer = await repo.commit(base, { [loaded.file.path]: writeDocument(loaded.file.path, loaded.doc) }, `clients: create token ${name}/${tokenId}\n\nToken ${tokenId} (…${entry.hint}); only its SHA-256 is stored.`);
      return { status: 201, body: { ...answer, token, tokenId, hint: entry.hint, ...(expiresAt ? { expiresAt } : {}), note: 'the token is shown once, in this answer: store it now' } };
    },

    async 'tokens.revoke'(call) {
      onlyFields(call.body, []);
      const name = checkId(call.params.id, 'client name');
      const tokenId = checkId(call.params.tokenId, 'token id');
      const base = await call.base();
      const loaded = await loadNamed(repo, base, 'clients', 'client', name);
      const tokens = tokensOf(loaded.value);
      const entry = tokens.find((t) => t.id === tokenId);
      if (!entry) throw new SilError('SIL_CLIENT_TOKEN_NOT_FOUND', `client "${name}" has no token "${tokenId}"`, { hint: `its tokens: ${tokens.map((t) => t.id).join(', ') || 'none'}` });
      const now = deps.now();
      if (entry.revokedAt && !(Date.parse(entry.revokedAt) > now.getTime())) return { body: { ...repo.unchanged(base), revokedAt: entry.revokedAt } };
      const revokedAt = now.toISOString();
      syncDocument(loaded.doc, { ...loaded.value, tokens: tokens.map((t) => (t.id === tokenId ? { ...t, revokedAt } : t)) });
      const answer = await repo.commit(base, { [loaded.file.path]: writeDocument(loaded.file.path, loaded.doc) }, `clients: revoke token ${name}/${tokenId}`);
      return { body: { ...answer, revokedAt } };
    },
  };
}
