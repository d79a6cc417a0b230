// `sil keys ...`: the key lifecycle of a provider, each change one commit.
import { SilError } from '../errors.ts';
import { DATA_OPTION, type Command, type Io } from './command.ts';
import { readStdin, vaultContext } from './repo-context.ts';

const USAGE = `Usage: sil keys list <provider> [--json]
       sil keys add <provider> [--id ID] [--label TEXT] [--staged] [--expires DATE] [--option NAME]
                    [--provider-key-id ID]
       sil keys update <provider> <key-id> [--label TEXT] [--expires DATE] [--secret]
       sil keys rotate <provider> [<key-id>] [--new-id ID] [--grace-days N] [--provider-key-id ID]
       sil keys rotate <provider> [<key-id>] --auto [--new-id ID] [--grace-days N]
       sil keys revoke <provider> <key-id> [--auto]
       sil keys activate|suspend|default <provider> <key-id>
       sil keys delete <provider> <key-id> [--force]
       sil keys retire-due [--auto]
  (every command takes --data DIR; default ./data, or SIL_DATA)

Provider keys live SOPS-encrypted in secrets/<provider>.yaml of the config repository: the
secret values encrypted, id, label, status, dates and fingerprint readable. Each change is one
validated commit on main. Secrets are read from stdin, never from the command line:
  printf %s "$OPENAI_API_KEY" | sil keys add openai-main --label "prod key"
A provider with several credential fields takes JSON or name=value lines:
  printf 'accessKeyId=AKIA...\\nsecretAccessKey=...\\n' | sil keys add aws-main

  list       keys with status, default flag, dates, fingerprint and rotation due date
  add        a new key (active, the default if there is none; --staged: stored but not used;
             --provider-key-id: the provider's own id of the key, which --auto revokes by)
  update     change label/expiry; --secret replaces (some of) the secret fields from stdin
  rotate     the new secret (stdin) goes live now as the default; the old key (default: the
             current default) retires and is revoked after the grace period
             (--grace-days, default keyRotationGraceDays of sil.yaml, 7)
             --auto: no stdin; the provider creates the new key through the template's
             rotation recipe (authenticated with the old key); providers without one
             are rotated by hand
  activate   make a staged, suspended or retiring key active
  suspend    stop using a key without revoking it
  revoke     the key is dead: its secret is removed from the file (--auto: revoked at the
             provider first, through the recipe; for a key already revoked in the file,
             only at the provider)
  default    the key requests use
  delete     remove a (revoked) key from the file; --force for any key
  retire-due revoke every retiring key whose grace period is over, in the file; --auto:
             at the provider first, through the template's recipe (providers without one:
             in the file only). A running hub does this by itself every hour (as --auto).

Commits are authored by SIL_AUTHOR_NAME <SIL_AUTHOR_EMAIL> (default sil <sil@localhost>).`;

const usage = (m: string) => new SilError('SIL_USAGE', `sil keys: ${m}`, { hint: 'run `sil keys --help`' });
const SIMPLE = ['activate', 'suspend', 'revoke', 'default', 'delete'] as const;
const AUTO = ['rotate', 'revoke', 'retire-due'];

function printWarnings(io: Io, warnings: string[]): void {
  for (const w of warnings) io.err(`warning: ${w}`);
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'provider keys: list, add, update, rotate, activate, suspend, revoke, delete, default',
  usage: USAGE,
  options: {
    ...DATA_OPTION,
    id: { type: 'string' },
    label: { type: 'string' },
    staged: { type: 'boolean' },
    expires: { type: 'string' },
    option: { type: 'string' },
    secret: { type: 'boolean' },
    'new-id': { type: 'string' },
    'grace-days': { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    auto: { type: 'boolean' },
    'provider-key-id': { type: 'string' },
  },
  maxPositionals: 3,
  async run(values, positionals, io) {
    const [sub, provider, keyId] = positionals;
    if (!sub) throw usage('missing subcommand');
    if (values.auto && !AUTO.includes(sub)) throw usage(`--auto applies to rotate, revoke and retire-due, not ${sub}`);
    if (values['provider-key-id'] !== undefined && ((sub !== 'add' && sub !== 'rotate') || values.auto)) throw usage('--provider-key-id applies to add and rotate (without --auto)');
    const ops = await import('../vault/keyring.ts');
    const { changeKeys, providerState } = await import('../vault/key-ops.ts');
    const { parseSecretInput } = await import('../vault/secret-input.ts');
    if (sub === 'retire-due' && values.auto) {
      const { retireAllDueWithRecipes } = await import('../vault/auto-rotate.ts');
      const results = await retireAllDueWithRecipes(await vaultContext(values, io));
      let failed = 0;
      for (const r of results) {
        printWarnings(io, r.warnings);
        if (r.commit) io.out(`${r.commit.slice(0, 7)} ${r.message}${r.fileOnly ? ` (no rotation recipe: revoke these at the provider by hand)` : ''}`);
        for (const f of r.failed) {
          failed++;
          io.err(`error: ${r.provider}${f.id === '*' ? '' : `/${f.id}`}: ${f.error.message} [${f.error.code}]`);
        }
      }
      if (results.length === 0) io.out('no retiring key is due');
      return failed ? 1 : 0;
    }
    if (sub === 'retire-due') {
      const { retireAllDue } = await import('../vault/retire-due.ts');
      const done = await retireAllDue(await vaultContext(values, io));
      io.out(done.length ? done.map((d) => `${d.commit.slice(0, 7)} ${d.message}`).join('\n') : 'no retiring key is due');
      return 0;
    }
    if (!provider) throw usage(`${sub}: missing <provider>`);
    const ctx = await vaultContext(values, io);
    const done = (r: Awaited<ReturnType<typeof changeKeys>>) => {
      if (!r) return 0;
      printWarnings(io, r.change.warnings);
      io.out(`${r.commit.slice(0, 7)} ${r.change.message}`);
      return 0;
    };
    switch (sub) {
      case 'list': {
        const { listKeys } = await import('../vault/key-list.ts');
        const state = await providerState(ctx, provider);
        const rows = listKeys(state, ctx.now());
        io.out(values.json ? JSON.stringify(rows, null, 2) : rows.length ? rows.map((r) => r.line).join('\n') : `provider "${provider}" has no keys`);
        return 0;
      }
      case 'add': {
        const text = await readStdin(io, 'Paste the secret, then press Ctrl-D:');
        return done(await changeKeys(ctx, provider, (k, kctx, state) => {
          const input = parseSecretInput(text, state.definition, { option: values.option as string | undefined });
          const change = ops.addKey(k, kctx, { id: values.id as string | undefined, label: values.label as string | undefined, staged: values.staged === true, expires: values.expires as string | undefined, secret: input.secret, providerKeyId: values['provider-key-id'] as string | undefined });
          return { ...change, warnings: [...input.warnings, ...change.warnings] };
        }));
      }
      case 'update': {
        if (!keyId) throw usage('update: missing <key-id>');
        const text = values.secret ? await readStdin(io, 'Paste the new secret, then press Ctrl-D:') : null;
        return done(await changeKeys(ctx, provider, (k, kctx, state) => {
          const input = text === null ? null : parseSecretInput(text, state.definition, { partial: true });
          const change = ops.updateKey(k, kctx, keyId, { secret: input?.secret, label: values.label as string | undefined, expires: values.expires as string | undefined });
          return { ...change, warnings: [...(input?.warnings ?? []), ...change.warnings] };
        }));
      }
      case 'rotate': {
        const grace = values['grace-days'] !== undefined ? Number(values['grace-days']) : undefined;
        if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) throw usage('--grace-days takes a whole number of days');
        if (values.auto) {
          const { autoRotate } = await import('../vault/auto-rotate.ts');
          const r = await autoRotate(ctx, provider, { graceDays: grace, from: keyId, newId: values['new-id'] as string | undefined });
          printWarnings(io, r.warnings);
          for (const c of r.commits) io.out(`${c.commit.slice(0, 7)} ${c.message}`);
          return 0;
        }
        const text = await readStdin(io, 'Paste the new secret, then press Ctrl-D:');
        return done(await changeKeys(ctx, provider, (k, kctx, state) => {
          const input = parseSecretInput(text, state.definition);
          const graceDays = grace ?? state.settings?.defaults?.keyRotationGraceDays ?? 7;
          const change = ops.rotateKey(k, kctx, { from: keyId, newId: values['new-id'] as string | undefined, secret: input.secret, graceDays, providerKeyId: values['provider-key-id'] as string | undefined });
          return { ...change, warnings: [...input.warnings, ...change.warnings] };
        }));
      }
      default: {
        if (!(SIMPLE as readonly string[]).includes(sub)) throw usage(`unknown subcommand "${sub}"`);
        if (!keyId) throw usage(`${sub}: missing <key-id>`);
        if (sub === 'revoke' && values.auto) {
          const { revokeWithRecipe } = await import('../vault/auto-rotate.ts');
          const r = await revokeWithRecipe(ctx, provider, keyId);
          printWarnings(io, r.warnings);
          io.out(r.commit ? `${r.commit.slice(0, 7)} ${r.message}` : r.message);
          return 0;
        }
        const apply = {
          activate: ops.activateKey,
          suspend: ops.suspendKey,
          revoke: ops.revokeKey,
          default: ops.setDefaultKey,
          delete: (k: Parameters<typeof ops.deleteKey>[0], kctx: Parameters<typeof ops.deleteKey>[1], id: string) => ops.deleteKey(k, kctx, id, values.force === true),
        }[sub as (typeof SIMPLE)[number]];
        return done(await changeKeys(ctx, provider, (k, kctx) => apply(k, kctx, keyId)));
      }
    }
  },
};
