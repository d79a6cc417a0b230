import { join } from 'node:path';
import { projectCatalog } from '../config/catalog.ts';
import { validateSource } from '../config/validate.ts';
import { formatIssue } from '../config/issues.ts';
import { dirSource } from '../config/sources/dir-source.ts';
import { nativeGitSource } from '../config/sources/native-git-source.ts';
import { resolveDataDir } from '../config/data-dir.ts';
import { SilError } from '../errors.ts';
import { DATA_OPTION, type Command, type Io } from './command.ts';
import type { ConfigSource } from '../config/sources/source.ts';
import type { Identities } from '../vault/sops/data-key.ts';

/**
 * Validates one source and prints its issues; true when it is valid. With `identities`, the
 * secrets files are also decrypted (the hook does this with the hub's identity, so a file the
 * hub could not open is refused at push time).
 */
export async function validateAndReport(source: ConfigSource, io: Io, prefix = '', identities?: Identities): Promise<boolean> {
  const result = await validateSource(source, projectCatalog().catalog);
  if (result.ok && identities) {
    const { loadKeyrings } = await import('../vault/load-keyrings.ts');
    const vault = await loadKeyrings(result.model, identities);
    result.errors.push(...vault.issues);
    result.ok = vault.issues.length === 0;
  }
  for (const i of [...result.errors, ...result.warnings]) io.out(prefix + formatIssue(i));
  if (result.ok) {
    io.out(`${prefix}valid: ${source.label} (${result.model.providers.size} providers, ${result.model.bindings.size} bindings, ${result.model.secrets.size} secrets files, ${result.warnings.length} warnings)`);
  } else {
    io.out(`${prefix}invalid: ${source.label}: ${result.errors.length} error(s)`);
  }
  return result.ok;
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a config directory or a commit of a config repository',
  usage: `Usage: sil validate [DIR]
       sil validate --repo GITDIR [--rev REV]
       sil validate [--data DIR]

Checks config files (schemas, ids, references, environments, protocols) and prints one
problem per line as \`path:line:column: message [CODE] hint: ...\`.
Exit status: 0 valid, 1 invalid, 2 usage error.

  DIR              a work tree, e.g. a clone of the config repository
  --repo GITDIR    a git repository (bare or not), read with native git at --rev (default main)
  -d, --data DIR   validate DIR/config.git at main (default ./data, or SIL_DATA)`,
  options: { ...DATA_OPTION, repo: { type: 'string' }, rev: { type: 'string' } },
  maxPositionals: 1,
  async run(values, positionals, io) {
    const [dir] = positionals;
    const repo = values.repo as string | undefined;
    if (dir && repo) throw new SilError('SIL_USAGE', 'give either DIR or --repo, not both');
    if (values.rev && !repo && dir) throw new SilError('SIL_USAGE', '--rev needs --repo');
    let source: ConfigSource;
    if (dir) source = dirSource(dir);
    else {
      const gitDir = repo ?? join(resolveDataDir(values.data as string | undefined, io.env), 'config.git');
      const rev = (values.rev as string | undefined) ?? 'main';
      source = nativeGitSource(gitDir, rev);
    }
    return (await validateAndReport(source, io)) ? 0 : 1;
  },
};
