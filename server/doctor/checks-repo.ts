// Checks of the config repository and the owner account: the push hook, the config at main
// (the validator and the vault), an owner. Pure.
import { formatIssue, type ConfigIssue } from '../config/issues.ts';
import { fail, ok, warn, type CheckResult } from './check.ts';

/** The Node and CLI paths of a hook script written by repo-init's hookScript(); null when it is not one. */
export function parseHookScript(text: string): { node: string; cli: string } | null {
  const node = /^node="([^"]+)"$/m.exec(text)?.[1];
  const cli = /^exec "\$node" "([^"]+)" hook pre-receive$/m.exec(text)?.[1];
  return node && cli ? { node, cli } : null;
}

export interface HookFacts {
  path: string;
  /** Null when the file is missing. */
  text: string | null;
  mode: number;
  nodeRuns: boolean;
  cliExists: boolean;
  /** This installation's bin/sil.js. */
  thisCli: string;
}

export function checkHook(f: HookFacts): CheckResult {
  const refresh = 'run `sil init --data DIR` while the hub is stopped, or restart the hub: both rewrite the hook';
  if (f.text === null) return fail('hook', `${f.path} is missing: pushes land without validation`, refresh);
  if ((f.mode & 0o111) === 0) return fail('hook', `${f.path} is not executable (mode ${(f.mode & 0o777).toString(8)}): git skips it`, `chmod 755 ${f.path}`);
  const target = parseHookScript(f.text);
  if (!target) return fail('hook', `${f.path} is not sil's hook`, refresh);
  if (!f.cliExists) return fail('hook', `the hook runs ${target.cli}, which does not exist: every push is refused`, refresh);
  if (!f.nodeRuns) return warn('hook', `the hook's Node ${target.node} is gone; it falls back to the node on PATH`, refresh);
  if (target.cli !== f.thisCli) return warn('hook', `the hook runs another installation (${target.cli}), not ${f.thisCli}`, `${refresh} with this installation`);
  return ok('hook', `${f.path} runs ${target.cli} with ${target.node}`);
}

export type ConfigFacts =
  | { error: string }
  | { commit: string; errors: ConfigIssue[]; warnings: number; providers: number; bindings: number; secretsFiles: number; keys: number };

export function checkConfig(f: ConfigFacts): CheckResult {
  if ('error' in f) return fail('config', `the config at main cannot be read: ${f.error}`, 'check DIR/config.git (git --git-dir DIR/config.git log -1 main); restore it from the backup if it is damaged');
  if (f.errors.length) {
    const first = f.errors.slice(0, 2).map(formatIssue).join(' | ');
    return fail('config', `main (${f.commit.slice(0, 7)}) does not load, ${f.errors.length} error(s): ${first}`, 'fix the files named and commit (the hub keeps serving its last good commit meanwhile); `sil validate --data DIR` prints every line');
  }
  const w = f.warnings ? `, ${f.warnings} warning(s) (\`sil validate\`)` : '';
  return ok('config', `main (${f.commit.slice(0, 7)}) is valid: ${f.providers} providers, ${f.bindings} bindings, ${f.secretsFiles} secrets files (${f.keys} keys) decrypt${w}`);
}

export type OwnerFacts = { error: string } | { owner: { createdAt: string } | null; setupPending: boolean };

export function checkOwner(f: OwnerFacts): CheckResult {
  if ('error' in f) return fail('owner', `state/owner.json cannot be read: ${f.error}`, 'restore state/owner.json from the backup, or `sil owner reset` for a new setup link');
  if (f.owner) return ok('owner', `set up ${f.owner.createdAt}`);
  const how = f.setupPending ? 'a setup link is pending: open it' : 'no setup link is pending';
  return warn('owner', `no owner account yet (${how})`, '`sil owner reset --url https://YOUR-HOST` prints a one-time setup link; open it, set the password and the authenticator');
}
