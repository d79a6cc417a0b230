// Creating, revoking and listing client tokens: each change rewrites clients/<name>.yaml at the
// branch head (comments and key order kept) and commits it through the GitWriter, which
// validates the whole tree first. Only the token's hash and hint are ever written.
import git from 'isomorphic-git';
import { Document, isMap, isSeq, parseDocument, Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { gitFs } from '../config/git-fs.ts';
import { schemaLine } from '../config/initial-files.ts';
import type { ConfigIssue } from '../config/issues.ts';
import { SilError } from '../errors.ts';
import { generateClientToken, hashToken, tokenHint, tokenStatus, type RandomSource, type TokenEntry, type TokenStatus } from './client-token.ts';
import type { Client } from '../../schemas/types.gen.ts';
import type { GitWriter, Person } from '../config/git-writer.ts';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const EXTENSIONS = ['yaml', 'yml', 'json'] as const;
const YAML_OUT = { lineWidth: 0, flowCollectionPadding: false } as const;

interface ClientFile { path: string; text: string; json: boolean }

interface RepoOptions {
  gitdir: string;
  client: string;
  /** Branch to read and write (default main; must be the writer's branch). */
  branch?: string;
}

interface WriteOptions extends RepoOptions {
  writer: GitWriter;
  now: Date;
  author: Person;
}

export interface CreateTokenOptions extends WriteOptions {
  /** Bindings to allow; added to an existing client's list. */
  bindings?: string[];
  /** Environment of a new client (default prod); must match an existing client's. */
  environment?: string;
  random?: RandomSource;
}

export interface CreateTokenResult {
  /** The plaintext token: show it once, it is stored nowhere. */
  token: string;
  tokenId: string;
  hint: string;
  commit: string;
  path: string;
  /** True when this call created the client's file. */
  createdClient: boolean;
  environment: string;
  /** The client's bindings after the change, and those this call added. */
  bindings: string[];
  addedBindings: string[];
}

export interface RevokeTokenResult {
  path: string;
  /** Null when the token was already revoked: nothing was written. */
  commit: string | null;
  revokedAt: string;
}

export interface TokenListing {
  path: string;
  client: Client;
  tokens: (TokenEntry & { status: TokenStatus })[];
}

function checkName(client: string): void {
  if (!NAME.test(client)) {
    throw new SilError('SIL_CLIENT_NAME', `"${client}" is not a valid client name`);
  }
}

async function headOf(gitdir: string, branch: string): Promise<string> {
  try {
    return await git.resolveRef({ fs: gitFs(gitdir), gitdir, ref: `refs/heads/${branch}` });
  } catch (err) {
    throw new SilError('SIL_GIT_NOT_FOUND', `${gitdir} has no branch ${branch}`, { hint: 'create the data directory with `sil init`, or pass --data', cause: err });
  }
}

/** clients/<name>.yaml (or .yml / .json) at a commit, or null. */
async function readClientFile(gitdir: string, commit: string, client: string): Promise<ClientFile | null> {
  for (const ext of EXTENSIONS) {
    const path = `clients/${client}.${ext}`;
    try {
      const { blob } = await git.readBlob({ fs: gitFs(gitdir), gitdir, oid: commit, filepath: path });
      return { path, text: Buffer.from(blob).toString('utf8'), json: ext === 'json' };
    } catch (err) {
      if ((err as { code?: string }).code !== 'NotFoundError') throw err;
    }
  }
  return null;
}

/** The file as a YAML document whose top level is a mapping. JSON files are read as data. */
function toDocument(file: ClientFile): Document {
  let doc: Document;
  if (file.json) {
    try {
      doc = new Document(JSON.parse(file.text));
    } catch (err) {
      throw new SilError('SIL_CONFIG_YAML', `${file.path}: ${(err as Error).message}`, { cause: err });
    }
  } else {
    doc = parseDocument(file.text, { uniqueKeys: true });
    if (doc.errors.length) throw new SilError('SIL_CONFIG_YAML', `${file.path}: ${doc.errors[0].message}`);
  }
  if (!isMap(doc.contents)) throw new SilError('SIL_CONFIG_NOT_MAPPING', `${file.path} is not a mapping`);
  return doc;
}

function serialise(doc: Document, file: ClientFile): string {
  return file.json ? `${JSON.stringify(doc.toJS(), null, 2)}\n` : doc.toString(YAML_OUT);
}

/** The sequence under `key`, created (block style) when missing or empty-valued. */
function seqAt(doc: Document, key: string, path: string): YAMLSeq {
  const node = doc.get(key, true);
  if (node === undefined || node === null || (node instanceof Scalar && node.value === null)) {
    const seq = doc.createNode([]) as YAMLSeq;
    doc.set(key, seq);
    return seq;
  }
  if (!isSeq(node)) throw new SilError('SIL_CONFIG_SCHEMA', `${path}: ${key} must be a list`);
  return node;
}

function quoted(value: string): Scalar {
  const s = new Scalar(value);
  s.type = Scalar.QUOTE_DOUBLE;
  return s;
}

/** A new client file; values are set through the YAML API, never pasted into text. */
function newClientDocument(path: string, client: string, environment: string): Document {
  const doc = parseDocument(`${schemaLine(path, 'client.schema.json')}\nname: ${client}\n`);
  doc.set('environment', environment);
  const bindings = doc.createNode([]) as YAMLSeq;
  bindings.flow = true;
  doc.set('bindings', bindings);
  doc.set('tokens', doc.createNode([]));
  return doc;
}

/** Commits through the writer; an invalid result is reported with the validator's messages. */
async function commitChange(opts: WriteOptions, base: string, path: string, content: string, message: string, what: string): Promise<string> {
  try {
    const r = await opts.writer.commit({ base, changes: { [path]: content }, message, author: opts.author });
    return r.commit;
  } catch (err) {
    if (err instanceof SilError && err.code === 'SIL_CONFIG_INVALID') {
      // The issues stay in details, where `sil` prints them one per line with their hints.
      const issues = ((err.details as { issues?: ConfigIssue[] } | undefined)?.issues ?? []);
      const count = issues.length === 1 ? '1 error' : `${issues.length} errors`;
      throw new SilError('SIL_CONFIG_INVALID', `${what} refused, nothing was written: ${count}`, { details: { issues }, cause: err });
    }
    throw err;
  }
}

/** Issues a token (creating the client when needed). Returns the plaintext once. */
export async function createToken(opts: CreateTokenOptions): Promise<CreateTokenResult> {
  const { gitdir, client, now } = opts;
  checkName(client);
  const head = await headOf(gitdir, opts.branch ?? 'main');
  const existing = await readClientFile(gitdir, head, client);
  const environment = opts.environment ?? 'prod';
  const file: ClientFile = existing ?? { path: `clients/${client}.yaml`, text: '', json: false };
  const doc = existing ? toDocument(existing) : newClientDocument(file.path, client, environment);

  const current = doc.get('environment');
  if (existing && opts.environment !== undefined && current !== opts.environment) {
    throw new SilError('SIL_CONFIG_ENVIRONMENT', `client "${client}" is in environment "${String(current)}", not "${opts.environment}"`, {
      hint: `leave out --environment, or change environment in ${file.path} (a client's tokens and bindings belong to one environment)`,
    });
  }

  const bindings = seqAt(doc, 'bindings', file.path);
  const have = new Set(bindings.items.map((n) => (n instanceof Scalar ? n.value : n)));
  const addedBindings: string[] = [];
  for (const b of opts.bindings ?? []) {
    if (have.has(b)) continue;
    have.add(b);
    addedBindings.push(b);
    bindings.add(doc.createNode(b));
  }

  const tokens = seqAt(doc, 'tokens', file.path);
  tokens.flow = false;
  const ids = new Set(tokens.items.map((n) => (isMap(n) ? String(n.get('id')) : '')));
  let n = 1 + Math.max(0, ...[...ids].map((id) => /^t(\d+)$/.exec(id)).filter((m) => m !== null).map((m) => Number(m[1])));
  while (ids.has(`t${n}`)) n++;
  const tokenId = `t${n}`;
  const token = generateClientToken(opts.random);
  const hint = tokenHint(token);
  const entry = doc.createNode({ id: tokenId, hash: hashToken(token) }) as YAMLMap;
  entry.set('hint', quoted(hint));
  entry.set('createdAt', quoted(now.toISOString()));
  tokens.add(entry);

  const body = [
    existing ? '' : `Client ${client} created (environment ${environment}).`,
    addedBindings.length ? `Bindings allowed: ${addedBindings.join(', ')}.` : '',
    `Token ${tokenId} (…${hint}); only its SHA-256 is stored.`,
  ].filter(Boolean).join('\n');
  const commit = await commitChange(opts, head, file.path, serialise(doc, file), `clients: create token ${client}/${tokenId}\n\n${body}`, `token ${client}/${tokenId}`);
  return {
    token,
    tokenId,
    hint,
    commit,
    path: file.path,
    createdClient: !existing,
    environment: String(doc.get('environment')),
    bindings: bindings.items.map((x) => String(x instanceof Scalar ? x.value : x)),
    addedBindings,
  };
}

/** Sets `revokedAt` on a token. Revoking a revoked token changes nothing. */
export async function revokeToken(opts: WriteOptions & { tokenId: string }): Promise<RevokeTokenResult> {
  const { gitdir, client, tokenId, now } = opts;
  checkName(client);
  const head = await headOf(gitdir, opts.branch ?? 'main');
  const file = await readClientFile(gitdir, head, client);
  if (!file) throw new SilError('SIL_CLIENT_NOT_FOUND', `client "${client}" does not exist (no clients/${client}.yaml)`);
  const doc = toDocument(file);
  const tokens = seqAt(doc, 'tokens', file.path);
  const entry = tokens.items.find((t): t is YAMLMap => isMap(t) && t.get('id') === tokenId);
  if (!entry) {
    const known = tokens.items.filter(isMap).map((t) => String(t.get('id')));
    throw new SilError('SIL_CLIENT_TOKEN_NOT_FOUND', `client "${client}" has no token "${tokenId}"${known.length ? ` (its tokens: ${known.join(', ')})` : ' (it has no tokens)'}`);
  }
  const already = entry.get('revokedAt');
  // Already revoked (an unreadable date counts as revoked); a future date is brought forward.
  if (typeof already === 'string' && !(Date.parse(already) > now.getTime())) {
    return { path: file.path, commit: null, revokedAt: already };
  }
  const revokedAt = now.toISOString();
  entry.set('revokedAt', quoted(revokedAt));
  const commit = await commitChange(opts, head, file.path, serialise(doc, file), `clients: revoke token ${client}/${tokenId}`, `revoking ${client}/${tokenId}`);
  return { path: file.path, commit, revokedAt };
}

/** A client's tokens with their status at `now` (read-only). */
export async function listTokens(opts: RepoOptions & { now: Date }): Promise<TokenListing> {
  checkName(opts.client);
  const head = await headOf(opts.gitdir, opts.branch ?? 'main');
  const file = await readClientFile(opts.gitdir, head, opts.client);
  if (!file) throw new SilError('SIL_CLIENT_NOT_FOUND', `client "${opts.client}" does not exist (no clients/${opts.client}.yaml)`);
  const client = toDocument(file).toJS() as Client;
  const tokens = (Array.isArray(client.tokens) ? client.tokens : []).map((t) => ({ ...t, status: tokenStatus(t, opts.now) }));
  return { path: file.path, client, tokens };
}
