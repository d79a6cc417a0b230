// `sil hook pre-receive`: run by git in the bare config repository for every push.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { nativeGitSource } from '../config/sources/native-git-source.ts';
import { parseIdentityFile, type Identities } from '../vault/sops/data-key.ts';
import { SilError } from '../errors.ts';
import { validateAndReport } from './validate.ts';
import { formatIssue } from '../config/issues.ts';
import { pushSignatureIssue } from '../config/push-signature.ts';
import type { Command } from './command.ts';

const ZERO = /^0+$/;

/** The hub's identity beside the repository (DATA/keys/age.key), when this is a hub's repository. */
async function hubIdentities(gitDir: string): Promise<Identities | undefined> {
  const path = resolve(gitDir, '..', 'keys', 'age.key');
  const text = await readFile(path, 'utf8').catch(() => null);
  return text === null ? undefined : parseIdentityFile(text);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

export const hookCommand: Command = {
  name: 'hook',
  summary: 'git hooks of the config repository (installed by sil init/start)',
  usage: `Usage: sil hook pre-receive

Run by git inside the config repository: reads "<old> <new> <ref>" lines on stdin, validates
each pushed branch head with native git (pushed objects are quarantined where only native git
can read them) and exits 1, rejecting the whole push, when one is invalid. When sil.yaml (on the
branch before the push, or in the pushed commit) sets security.requireSignedCommits, the pushed
head must also be signed by the hub's key or a key of security.allowedSigners.`,
  options: {},
  hidden: true,
  maxPositionals: 1,
  async run(_values, positionals, io) {
    if (positionals[0] !== 'pre-receive') throw new SilError('SIL_USAGE', `unknown hook "${positionals[0] ?? ''}"`, { hint: 'the only hook is pre-receive' });
    const gitDir = io.env.GIT_DIR ?? '.';
    const identities = await hubIdentities(gitDir);
    let ok = true;
    for (const line of (await readAll(io.stdin)).split('\n')) {
      const [old, next, ref] = line.trim().split(/\s+/);
      if (!ref || !ref.startsWith('refs/heads/')) continue;
      if (ZERO.test(next)) {
        io.out(`sil: ${ref}: branches of the config repository cannot be deleted (history is the audit log)`);
        ok = false;
        continue;
      }
      io.out(`sil: checking ${ref} at ${next.slice(0, 7)}`);
      if (!(await validateAndReport(nativeGitSource(gitDir, next), io, 'sil: ', identities))) {
        io.out(`sil: push rejected: ${ref} would not load. Fix the errors above, amend the commit and push again.`);
        ok = false;
        continue;
      }
      const unsigned = await pushSignatureIssue(gitDir, ZERO.test(old) ? null : old, next);
      if (unsigned) {
        io.out(`sil: ${formatIssue(unsigned)}`);
        io.out(`sil: push rejected: ${ref} would not load. Sign the commit (\`git commit --amend -S\` with gpg.format=ssh) and push again.`);
        ok = false;
      }
    }
    return ok ? 0 : 1;
  },
};
