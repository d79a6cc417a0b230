// Revokes the retiring keys of every provider whose grace period is over, one commit each.
import { headCommit } from '../config/git-read.ts';
import git from 'isomorphic-git';
import { gitFs } from '../config/git-fs.ts';
import { changeKeys, type VaultContext } from './key-ops.ts';
import { retireDue } from './keyring.ts';

export async function retireAllDue(ctx: VaultContext): Promise<{ commit: string; message: string }[]> {
  const head = await headCommit(ctx.gitdir);
  if (!head) return [];
  let files: string[] = [];
  try {
    files = (await git.readTree({ fs: gitFs(ctx.gitdir), gitdir: ctx.gitdir, oid: head, filepath: 'secrets' })).tree.map((e) => e.path);
  } catch {
    return [];
  }
  const out: { commit: string; message: string }[] = [];
  for (const f of files.filter((n) => /\.ya?ml$/.test(n))) {
    const provider = f.replace(/\.ya?ml$/, '');
    const r = await changeKeys(ctx, provider, (k, kctx) => retireDue(k, kctx));
    if (r) out.push({ commit: r.commit, message: r.change.message });
  }
  return out;
}
