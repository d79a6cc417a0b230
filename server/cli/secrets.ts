// `sil secrets decrypt|encrypt`: SOPS files in and out, for interoperability with the sops CLI.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveDataDir } from '../config/data-dir.ts';
import { SilError } from '../errors.ts';
import { DATA_OPTION, type Command } from './command.ts';

const USAGE = `Usage: sil secrets decrypt FILE [--identity KEYFILE] [--yaml] [--data DIR]
       sil secrets encrypt FILE --recipient age1... [--recipient age1...]
                                [--encrypted-regex RE | --unencrypted-suffix SUFFIX]

  decrypt   print the plaintext of a SOPS-encrypted YAML or JSON file as JSON (--yaml: as
            YAML, with its decrypted comments). The MAC is verified; a file that does not
            match it is refused. KEYFILE defaults to the hub's DATA/keys/age.key.
  encrypt   print the SOPS-encrypted YAML of a plain YAML or JSON file, for the given age
            recipients. Default rule: values under keys ending in _unencrypted stay clear
            (as sops does); secrets/ files of the hub use --encrypted-regex '^secret$'.
            Comments are not carried over.

Files written here open with the real sops tool, and files sops wrote open here.`;

const usage = (m: string) => new SilError('SIL_USAGE', `sil secrets: ${m}`, { hint: 'run `sil secrets --help`' });

export const secretsCommand: Command = {
  name: 'secrets',
  summary: 'decrypt or encrypt SOPS files (interoperable with the sops CLI)',
  usage: USAGE,
  options: {
    ...DATA_OPTION,
    identity: { type: 'string', short: 'i' },
    yaml: { type: 'boolean' },
    recipient: { type: 'string', short: 'r', multiple: true },
    'encrypted-regex': { type: 'string' },
    'unencrypted-suffix': { type: 'string' },
  },
  maxPositionals: 2,
  async run(values, positionals, io) {
    const [sub, file] = positionals;
    if (sub !== 'decrypt' && sub !== 'encrypt') throw usage(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
    if (!file) throw usage(`${sub}: missing FILE`);
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new SilError('SIL_USAGE', `cannot read ${file}: ${err.code}`);
    });
    const format = file.endsWith('.json') ? 'json' : 'yaml';
    if (sub === 'decrypt') {
      const { decryptSops } = await import('../vault/sops/sops-file.ts');
      const { parseIdentityFile } = await import('../vault/sops/data-key.ts');
      const keyFile = (values.identity as string | undefined) ?? join(resolveDataDir(values.data as string | undefined, io.env), 'keys', 'age.key');
      const keyText = await readFile(keyFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new SilError('SIL_VAULT_IDENTITY', `cannot read the identity file ${keyFile}: ${err.code}`);
      });
      const result = await decryptSops(text, format, parseIdentityFile(keyText));
      io.out(values.yaml ? result.doc.toString({ lineWidth: 0 }).trimEnd() : JSON.stringify(result.data, null, 2));
      return 0;
    }
    const recipients = (values.recipient as string[] | undefined) ?? [];
    if (recipients.length === 0) throw usage('encrypt: give at least one --recipient age1...');
    for (const r of recipients) if (!/^age1[02-9ac-hj-np-z]{58}$/.test(r)) throw usage(`"${r}" is not an age X25519 recipient (age1...)`);
    if (values['encrypted-regex'] && values['unencrypted-suffix']) throw usage('give one rule: --encrypted-regex or --unencrypted-suffix');
    const { encryptSops } = await import('../vault/sops/sops-file.ts');
    const rule = values['encrypted-regex']
      ? { kind: 'encrypted_regex' as const, value: String(values['encrypted-regex']) }
      : { kind: 'unencrypted_suffix' as const, value: String(values['unencrypted-suffix'] ?? '_unencrypted') };
    const plain = format === 'json' ? JSON.stringify(JSON.parse(text)) : text;
    io.out((await encryptSops(plain, { recipients, rule, now: new Date() })).trimEnd());
    return 0;
  },
};
