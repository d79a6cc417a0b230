// `sil tokens create|revoke|check|list`: client tokens, written to the config repository.
import { SilError } from '../errors.ts';
import { checkTokenFormat } from '../vault/client-token.ts';
import { DATA_OPTION, type Command } from './command.ts';
import { commitAuthor, dataDirSigner, gitdirOf } from './repo-context.ts';

const USAGE = `Usage: sil tokens create <client> [--binding NAME ...] [--environment ENV] [--data DIR]
       sil tokens revoke <client> <token-id> [--data DIR]
       sil tokens list <client> [--data DIR]
       sil tokens check <string|->

Client tokens are what services present to the proxy. The config repository keeps only their
SHA-256 hash (and last 4 characters as a hint) in clients/<client>.yaml; each change is one
validated commit on main.

  create   issue a token for <client>, creating clients/<client>.yaml when it does not exist.
           The token is printed once and cannot be shown again.
  revoke   set revokedAt on a token (ids are t1, t2, ...; see \`list\`)
  list     the client's tokens: id, hint, dates, status
  check    exit 0 when the string has the form and checksum of a sil token, 1 (with the
           reason) when not; \`-\` reads it from stdin. Offline: nothing is looked up.

Options:
  -b, --binding NAME    create: allow this binding (repeatable; \`*\` allows all of the environment)
  -e, --environment ENV create: environment of a new client (default prod)
  -d, --data DIR        data directory (default ./data, or SIL_DATA)

Commits are authored by SIL_AUTHOR_NAME <SIL_AUTHOR_EMAIL> (default sil <sil@localhost>).`;

const SUBCOMMANDS: Record<string, { args: string[]; options: string[] }> = {
  create: { args: ['client'], options: ['binding', 'environment', 'data'] },
  revoke: { args: ['client', 'token-id'], options: ['data'] },
  list: { args: ['client'], options: ['data'] },
  check: { args: ['string'], options: [] },
};

const usage = (message: string) => new SilError('SIL_USAGE', `sil tokens: ${message}`, { hint: 'run `sil tokens --help`' });

async function writer(dataDir: string, gitdir: string) {
  const [{ GitWriter }, { projectCatalog }] = await Promise.all([import('../config/git-writer.ts'), import('../config/catalog.ts')]);
  return new GitWriter({ gitdir, catalog: projectCatalog().catalog, sign: await dataDirSigner(dataDir) });
}

async function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text.split(/\r?\n/)[0] ?? '';
}

export const tokensCommand: Command = {
  name: 'tokens',
  summary: 'create, revoke, list and check client tokens',
  usage: USAGE,
  options: {
    ...DATA_OPTION,
    binding: { type: 'string', short: 'b', multiple: true },
    environment: { type: 'string', short: 'e' },
  },
  maxPositionals: 3,
  async run(values, positionals, io) {
    const [sub, ...args] = positionals;
    if (!sub) throw usage('missing subcommand (create, revoke, list or check)');
    if (!Object.hasOwn(SUBCOMMANDS, sub)) throw usage(`unknown subcommand "${sub}" (create, revoke, list or check)`);
    const spec = SUBCOMMANDS[sub];
    if (args.length < spec.args.length) throw usage(`${sub} needs ${spec.args.map((a) => `<${a}>`).join(' ')}`);
    if (args.length > spec.args.length) throw usage(`${sub}: unexpected argument "${args[spec.args.length]}"`);
    for (const key of Object.keys(values)) {
      if (key !== 'help' && values[key] !== undefined && !spec.options.includes(key)) throw usage(`${sub} does not take --${key}`);
    }

    if (sub === 'check') {
      const s = args[0] === '-' ? await readLine(io.stdin) : args[0];
      const result = checkTokenFormat(s.trim());
      if (result.ok) {
        io.out('valid: prefix, length, alphabet and checksum of a sil token (not checked against any client)');
        return 0;
      }
      io.out(`not a sil token: ${result.reason}`);
      return 1;
    }

    const { dataDir, gitdir } = await gitdirOf(values, io);
    const ops = await import('../vault/client-tokens-ops.ts');
    const [client] = args;

    if (sub === 'create') {
      const r = await ops.createToken({
        writer: await writer(dataDir, gitdir),
        gitdir,
        client,
        bindings: values.binding as string[] | undefined,
        environment: values.environment as string | undefined,
        now: new Date(),
        author: commitAuthor(io),
      });
      if (r.createdClient) io.out(`created client ${client} (environment ${r.environment}) in ${r.path}`);
      if (r.addedBindings.length) io.out(`allowed bindings: ${r.addedBindings.join(', ')}`);
      if (r.bindings.length === 0) io.out(`note: ${client} may call no binding yet (bindings: []); add one with \`sil tokens create ${client} --binding NAME\` or by editing ${r.path}`);
      io.out(`token ${r.tokenId} of ${client} (hint …${r.hint}), commit ${r.commit.slice(0, 7)}:`);
      io.out(r.token);
      io.out('Store it now: it will not be shown again (only its SHA-256 hash is kept).');
      return 0;
    }

    if (sub === 'revoke') {
      const tokenId = args[1];
      const r = await ops.revokeToken({ writer: await writer(dataDir, gitdir), gitdir, client, tokenId, now: new Date(), author: commitAuthor(io) });
      io.out(r.commit
        ? `revoked ${client}/${tokenId} at ${r.revokedAt}, commit ${r.commit.slice(0, 7)}`
        : `${client}/${tokenId} was already revoked at ${r.revokedAt}; nothing changed`);
      return 0;
    }

    // list
    const { client: c, tokens, path } = await ops.listTokens({ gitdir, client, now: new Date() });
    io.out(`${c.name} (${path}): environment ${c.environment}, ${c.enabled === false ? 'disabled' : 'enabled'}, bindings: ${(c.bindings ?? []).join(', ') || '(none)'}`);
    if (tokens.length === 0) {
      io.out('no tokens');
      return 0;
    }
    const rows = tokens.map((t) => [t.id, t.hint ? `…${t.hint}` : '-', t.createdAt, t.expiresAt ?? '-', t.revokedAt ?? '-', t.status]);
    const head = ['id', 'hint', 'created', 'expires', 'revoked', 'status'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((v, i) => (i < r.length - 1 ? v.padEnd(widths[i]) : v)).join('  ');
    io.out(line(head));
    for (const r of rows) io.out(line(r));
    return 0;
  },
};
