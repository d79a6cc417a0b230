// `sil recipients ...`: the age recipients the vault's secrets files are encrypted to.
import { SilError } from '../errors.ts';
import { DATA_OPTION, type Command } from './command.ts';
import { vaultContext } from './repo-context.ts';

const USAGE = `Usage: sil recipients list [--json]
       sil recipients add <age1...>
       sil recipients remove <age1...>
  (every command takes --data DIR; default ./data, or SIL_DATA)

Every secrets/<provider>.yaml is SOPS-encrypted to the hub's own age recipient (from
data/keys/age.key) and to the owner recipients listed in sil.yaml under vault.recipients, e.g.
an offline key that can still open the vault when the hub's data directory is lost.
.sops.yaml lists the same recipients for the sops CLI.

  list    the hub's recipient, the owner recipients, and for .sops.yaml and each secrets
          file whether its recipients match ("in sync") or which are missing / extra
  add     one commit: the recipient goes into sil.yaml and .sops.yaml, and each secrets
          file's data key is wrapped for it (values unchanged; \`age-keygen -y KEYFILE\`
          prints the recipient of a key file)
  remove  one commit: the recipient leaves sil.yaml and .sops.yaml, and every secrets file
          gets a new data key (the removed party may hold the old one). Older commits stay
          readable to it: rotate the keys (\`sil keys rotate\`) if that matters.
          The hub's own recipient cannot be removed.

Commits are authored by SIL_AUTHOR_NAME <SIL_AUTHOR_EMAIL> (default sil <sil@localhost>).`;

const usage = (m: string) => new SilError('SIL_USAGE', `sil recipients: ${m}`, { hint: 'run `sil recipients --help`' });

export const recipientsCommand: Command = {
  name: 'recipients',
  summary: 'age recipients of the vault: list, add, remove owner keys',
  usage: USAGE,
  options: { ...DATA_OPTION, json: { type: 'boolean' } },
  maxPositionals: 2,
  async run(values, positionals, io) {
    const [sub, recipient] = positionals;
    if (!sub) throw usage('missing subcommand');
    if (sub !== 'list' && sub !== 'add' && sub !== 'remove') throw usage(`unknown subcommand "${sub}"`);
    if (sub === 'list' && recipient !== undefined) throw usage(`list: unexpected argument "${recipient}"`);
    if (sub !== 'list' && !recipient) throw usage(`${sub}: missing <age1...> recipient`);
    if (sub !== 'list' && values.json) throw usage(`${sub}: --json is for list only`);
    const { changeRecipients, listRecipients, shortRecipient } = await import('../vault/recipients.ts');
    const ctx = await vaultContext(values, io);

    if (sub === 'list') {
      const status = await listRecipients(ctx);
      if (values.json) {
        io.out(JSON.stringify(status, null, 2));
        return 0;
      }
      const lines = [`hub    ${status.hub}  (the hub's own key)`];
      for (const r of status.owners) lines.push(`owner  ${r}${r === status.hub ? '  (the hub\'s own)' : ''}`);
      if (status.owners.length === 0) lines.push('no owner recipients (sil.yaml vault.recipients)');
      const all = [status.sopsConfig, ...status.files];
      const width = Math.max(...all.map((f) => f.path.length));
      lines.push('');
      for (const f of all) {
        let state: string;
        if (f.error) state = `cannot read recipients: ${f.error}`;
        else if (f.inSync) state = 'in sync';
        else state = [f.missing.length ? `missing ${f.missing.map(shortRecipient).join(', ')}` : '', f.extra.length ? `extra ${f.extra.map(shortRecipient).join(', ')}` : ''].filter(Boolean).join('; ');
        lines.push(`${f.path.padEnd(width)}  ${state}`);
      }
      if (status.files.length === 0) lines.push('no secrets files');
      io.out(lines.join('\n'));
      return 0;
    }

    const r = await changeRecipients(ctx, sub === 'add' ? { add: [recipient] } : { remove: [recipient] });
    io.out(`${r.commit.slice(0, 7)} ${r.message}`);
    if (sub === 'remove' && r.files.length) {
      io.err('note: older commits of the repository stay readable with the removed key; rotate the provider keys (`sil keys rotate`) if it may be compromised');
    }
    return 0;
  },
};
