// Adds a line to security.allowedSigners of sil.yaml (comments, order and other fields kept)
// and commits it through the GitWriter, which signs it with the hub's key — so it counts even
// when security.requireSignedCommits is on.
import { isMap, isScalar, isSeq, parseDocument, YAMLMap, type YAMLSeq } from 'yaml';
import { SilError } from '../errors.ts';
import { headCommit, readTextAt } from './git-read.ts';
import { allowedSignerLine, findSigner, parseAllowedSigners } from './allowed-signers.ts';
import { keyFingerprint } from './ssh-signature.ts';
import { SETTINGS_FILES } from './signing-policy.ts';
import type { GitWriter, Person } from './git-writer.ts';

const YAML_OUT = { lineWidth: 0, flowCollectionPadding: false } as const;

function addLine(path: string, text: string, line: string): string {
  if (path.endsWith('.json')) {
    const data = JSON.parse(text) as { security?: { allowedSigners?: string[] } };
    data.security = { ...data.security, allowedSigners: [...(data.security?.allowedSigners ?? []), line] };
    return `${JSON.stringify(data, null, 2)}\n`;
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) throw new SilError('SIL_CONFIG_YAML', `${path}: ${doc.errors[0].message.split('\n')[0]}`);
  if (!isMap(doc.contents)) throw new SilError('SIL_CONFIG_NOT_MAPPING', `${path} is not a mapping`);
  const empty = (n: unknown) => n === undefined || n === null || (isScalar(n) && n.value === null);
  let security: unknown = doc.get('security', true);
  if (empty(security)) {
    security = new YAMLMap();
    doc.set('security', security);
  }
  if (!isMap(security)) throw new SilError('SIL_CONFIG_SCHEMA', `${path}: security must be a mapping`);
  let list: unknown = security.get('allowedSigners', true);
  if (empty(list)) {
    list = doc.createNode([]) as YAMLSeq;
    security.set('allowedSigners', list);
  }
  if (!isSeq(list)) throw new SilError('SIL_CONFIG_SCHEMA', `${path}: security.allowedSigners must be a list`);
  list.add(doc.createNode(line));
  return doc.toString(YAML_OUT);
}

export interface AllowSignerResult { commit: string | null; line: string; fingerprint: string; message: string }

/** One commit adding `email namespaces="git" ssh-ed25519 ...`; none when the key is listed already. */
export async function allowSigner(ctx: { gitdir: string; writer: GitWriter; author: Person }, email: string, key: Uint8Array): Promise<AllowSignerResult> {
  if (!email || /\s/.test(email)) throw new SilError('SIL_USAGE', `"${email}" is not a signer email (no spaces allowed)`);
  const line = allowedSignerLine(email, key);
  const fingerprint = keyFingerprint(key);
  const base = await headCommit(ctx.gitdir);
  if (!base) throw new SilError('SIL_GIT_NOT_FOUND', 'the config repository has no main branch');
  let path: string = SETTINGS_FILES[0];
  let text: string | null = null;
  for (const candidate of SETTINGS_FILES) {
    text = await readTextAt(ctx.gitdir, base, candidate);
    if (text !== null) {
      path = candidate;
      break;
    }
  }
  if (text === null) throw new SilError('SIL_CONFIG_MISSING', 'the config repository has no sil.yaml');
  const current = (parseDocument(text).toJS() as { security?: { allowedSigners?: unknown } } | null)?.security?.allowedSigners;
  const lines = Array.isArray(current) ? current.filter((l): l is string => typeof l === 'string') : [];
  const listed = findSigner(parseAllowedSigners(lines).signers, key);
  if (listed) return { commit: null, line, fingerprint, message: `${fingerprint} is already an allowed signer (${listed.principals})` };
  const message = `security: allow ${email} to sign commits (${fingerprint})`;
  const r = await ctx.writer.commit({ base, changes: { [path]: addLine(path, text, line) }, message, author: ctx.author });
  return { commit: r.commit, line, fingerprint, message };
}
