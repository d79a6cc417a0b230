// Revokes the retiring keys of every provider whose grace period is over, one commit each.
import { changeKeys, providersWithSecrets, type VaultContext } from './key-ops.ts';
import { retireDue } from './keyring.ts';

export async function retireAllDue(ctx: VaultContext): Promise<{ commit: string; message: string }[]> {
  const out: { commit: string; message: string }[] = [];
  for (const provider of await providersWithSecrets(ctx.gitdir)) {
    const r = await changeKeys(ctx, provider, (k, kctx) => retireDue(k, kctx));
    if (r) out.push({ commit: r.commit, message: r.change.message });
  }
  return out;
}
