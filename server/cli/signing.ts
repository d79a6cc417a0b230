// `sil signing ...`: the hub's commit signing key (DATA/keys/signing) and who may sign commits.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SilError } from '../errors.ts';
import { DATA_OPTION, type Command } from './command.ts';
import { commitAuthor, dataDirSigner, gitdirOf, readStdin } from './repo-context.ts';

const USAGE = `Usage: sil signing allowed-signers [--data DIR]
       sil signing public-key [--data DIR]
       sil signing allow <email> [PUBKEY_FILE | -] [--data DIR]

The hub signs every commit it makes (console, API, CLI) with its Ed25519 SSH key
DATA/keys/signing, in the SSH signature format git uses with gpg.format=ssh.

  allowed-signers  print the hub's line for git's allowed-signers file; then
                   git -c gpg.ssh.allowedSignersFile=FILE verify-commit REV
                   (with gpg.format=ssh) checks the hub's commits
  public-key       print the hub's public key (ssh-ed25519 AAAA... sil@host)
  allow            one commit adding your key to security.allowedSigners of sil.yaml, signed by
                   the hub (so it counts even when security.requireSignedCommits is on). The key
                   is an ssh-ed25519 public key (e.g. ~/.ssh/id_ed25519.pub), from the file or stdin.

Options:
  -d, --data DIR   data directory (default ./data, or SIL_DATA)

The email is SIL_AUTHOR_EMAIL (default sil@localhost), the author of the hub's commits.`;

const usage = (m: string) => new SilError('SIL_USAGE', `sil signing: ${m}`, { hint: 'run `sil signing --help`' });
const SUBCOMMANDS = ['allowed-signers', 'public-key', 'allow'];

/** The raw key of the first `ssh-ed25519 AAAA...` in a public key file or allowed-signers line. */
async function readPublicKey(text: string): Promise<Buffer> {
  const { parsePublicKey } = await import('../config/allowed-signers.ts');
  const words = text.trim().split(/\s+/);
  const at = words.findIndex((w) => /^(ssh-|ecdsa-|sk-)/.test(w));
  if (at < 0 || !words[at + 1]) throw new SilError('SIL_USAGE', 'no SSH public key found (expected `ssh-ed25519 AAAA...`, as in ~/.ssh/id_ed25519.pub)');
  try {
    return parsePublicKey(words[at], words[at + 1]);
  } catch (err) {
    throw new SilError('SIL_USAGE', `the public key cannot be used: ${(err as Error).message}`, { hint: 'create an Ed25519 key with `ssh-keygen -t ed25519` and give its .pub file' });
  }
}

export const signingCommand: Command = {
  name: 'signing',
  summary: 'the hub\'s commit signing key: allowed-signers line, public key, allow your key',
  usage: USAGE,
  options: { ...DATA_OPTION },
  maxPositionals: 3,
  async run(values, positionals, io) {
    const [sub, ...args] = positionals;
    if (!sub) throw usage('missing subcommand (allowed-signers, public-key or allow)');
    if (!SUBCOMMANDS.includes(sub)) throw usage(`unknown subcommand "${sub}" (allowed-signers, public-key or allow)`);
    const max = sub === 'allow' ? 2 : 0;
    if (args.length > max) throw usage(`${sub}: unexpected argument "${args[max]}"`);
    const { dataDir, gitdir } = await gitdirOf(values, io);
    const { loadOrCreateSigningKey } = await import('../vault/signing-key.ts');

    if (sub === 'allowed-signers' || sub === 'public-key') {
      const key = await loadOrCreateSigningKey(join(dataDir, 'keys'));
      const { allowedSignerLine } = await import('../config/allowed-signers.ts');
      io.out(sub === 'public-key' ? key.publicLine : allowedSignerLine(commitAuthor(io).email, key.publicKey));
      return 0;
    }

    const [email, file] = args;
    if (!email) throw usage('allow: missing <email>');
    const text = file && file !== '-'
      ? await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => { throw new SilError('SIL_USAGE', `cannot read ${file}: ${err.code ?? err.message}`); })
      : await readStdin(io, 'Paste the SSH public key (ssh-ed25519 AAAA...), then press Ctrl-D:');
    const key = await readPublicKey(text);
    const [{ GitWriter }, { projectCatalog }, { allowSigner }] = await Promise.all([
      import('../config/git-writer.ts'), import('../config/catalog.ts'), import('../config/settings-signers.ts'),
    ]);
    const writer = new GitWriter({ gitdir, catalog: projectCatalog().catalog, sign: await dataDirSigner(dataDir) });
    const r = await allowSigner({ gitdir, writer, author: commitAuthor(io) }, email, key);
    io.out(r.commit ? `${r.commit.slice(0, 7)} ${r.message}` : r.message);
    io.out(r.line);
    return 0;
  },
};
