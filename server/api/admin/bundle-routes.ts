// Export and import of the config as one YAML or JSON bundle. Secrets leave only as their
// SOPS ciphertext (or not at all) and a plaintext secrets file is never imported. An import is
// validated as a whole and applied as one commit, or answered 422 with every error and nothing
// changed; /import/preview shows what would change without committing.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { SilError } from '../../errors.ts';
import { headCommit } from '../../config/git-read.ts';
import type { AdminDeps } from './context.ts';
import { buildBundle, bundleFromValue, parseBundle, parseSections, plaintextProblem, sectionOf, serializeBundle, type BundleFormat, type ParsedBundle, type SecretsMode } from './bundle.ts';
import { filesAt, importMode, planImport, type ImportPlan } from './bundle-import.ts';
import { checkCommitId, isAncestor } from './history-log.ts';
import { readBundleBody } from './bundle-body.ts';
import { baseFrom } from './call.ts';
import { unifiedDiff } from './line-diff.ts';
import { clearSecretDetector, safeDiff } from './diff-redact.ts';

const MAX_PREVIEW_DIFFS = 8 * 1024 * 1024;
const LETTER = { added: 'A', changed: 'M', removed: 'D' } as const;

function one(value: unknown, name: string): string | undefined {
  if (Array.isArray(value)) throw new SilError('SIL_API_INPUT', `${name}: give it once`);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function choice<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  const v = one(value, name) ?? allowed[0];
  if (!(allowed as readonly string[]).includes(v)) throw new SilError('SIL_API_INPUT', `${name}: give ${allowed.join(' or ')}`);
  return v as T;
}

async function readBundle(ctx: Context): Promise<ParsedBundle> {
  const body = await readBundleBody(ctx);
  return 'value' in body ? bundleFromValue(body.value) : parseBundle(body.text, ctx.get('content-type'));
}

/** Diffs for a preview, made safe as history diffs are; none for files the validator found a key in. */
function previewFiles(plan: ImportPlan, looksSecret: (value: string) => boolean) {
  const clear = new Set(plan.errors.filter((e) => e.code === 'SIL_CONFIG_PLAINTEXT_SECRET').map((e) => e.file));
  let total = 0;
  return plan.files.map(({ path, change, before, after }) => {
    if (clear.has(path)) return { path, change, diff: null, note: 'not shown: the file looks like it holds a secret in plain text' };
    const diff = safeDiff(path, unifiedDiff(path, before, after), looksSecret);
    total += diff.length;
    return total > MAX_PREVIEW_DIFFS ? { path, change, diff: null, note: 'not shown: the preview is too large' } : { path, change, diff };
  });
}

export function bundleRoutes(router: Router, deps: AdminDeps): void {
  const { gitdir } = deps;
  const looksSecret = clearSecretDetector(deps.catalog);

  /** A commit given by the caller that is part of main's history, or the head of main. */
  async function commitOrHead(value: unknown, name: string): Promise<{ commit: string | null; head: string | null }> {
    const head = await headCommit(gitdir);
    const given = one(value, name);
    if (given === undefined) return { commit: head, head };
    const commit = checkCommitId(given, name);
    if (!head || !(await isAncestor(gitdir, commit, head))) throw new SilError('SIL_GIT_NOT_FOUND', `${name} ${commit.slice(0, 7)} is not in the history of main`);
    return { commit, head };
  }

  router.get('/export', async (ctx) => {
    const format = choice<BundleFormat>(ctx.query.format, 'format', ['yaml', 'json']);
    const secrets = choice<SecretsMode>(ctx.query.secrets, 'secrets', ['encrypted', 'omit']);
    const include = parseSections(one(ctx.query.include, 'include')).filter((s) => !(s === 'secrets' && secrets === 'omit'));
    const { commit } = await commitOrHead(ctx.query.commit, 'commit');
    if (!commit) throw new SilError('SIL_GIT_NOT_FOUND', 'the config repository has no main branch yet');
    const files = new Map<string, string>();
    const omitted: { file: string; reason: string }[] = [];
    for (const [path, text] of await filesAt(gitdir, commit)) {
      const section = sectionOf(path);
      if (!section || !include.includes(section)) continue;
      const plain = section === 'secrets' ? plaintextProblem(text) : null;
      if (plain) omitted.push({ file: path, reason: `left out: ${plain}` });
      else files.set(path, text);
    }
    const bundle = buildBundle({ commit, exportedAt: deps.now(), include, secrets, files, omitted });
    ctx.set('Content-Disposition', `attachment; filename="sil-config-${commit.slice(0, 7)}.${format}"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = format === 'json' ? 'application/json' : 'application/yaml';
    ctx.body = serializeBundle(bundle, format);
    deps.log(`export: ${files.size} file(s) at ${commit.slice(0, 7)} (secrets: ${secrets}${omitted.length ? `, ${omitted.length} left out` : ''})`);
  });

  /** The import plan; a real import must name its base (`?base=` or If-Match), a preview may not. */
  async function plan(ctx: Context, baseRequired: boolean) {
    const mode = importMode(one(ctx.query.mode, 'mode'));
    const query = one(ctx.query.base, 'base');
    const ifMatch = ctx.get('if-match') || undefined;
    const given = baseRequired || query || ifMatch ? baseFrom({}, ifMatch, query) : undefined;
    const bundle = await readBundle(ctx);
    const { commit: base, head } = await commitOrHead(given, 'base');
    return { head, plan: await planImport(deps, bundle, mode, base) };
  }

  router.post('/import/preview', async (ctx) => {
    const { head, plan: p } = await plan(ctx, false);
    const count = (c: string) => p.files.filter((f) => f.change === c).length;
    ctx.body = {
      base: p.base,
      head,
      mode: p.mode,
      valid: p.errors.length === 0,
      summary: { added: count('added'), changed: count('changed'), removed: count('removed') },
      files: previewFiles(p, looksSecret),
      errors: p.errors,
      warnings: p.warnings,
    };
  });

  router.post('/import', async (ctx) => {
    const { head, plan: p } = await plan(ctx, true);
    if (p.mode === 'replace' && p.base !== head) {
      throw new SilError('SIL_GIT_CONFLICT', `the config changed since ${p.base?.slice(0, 7)}: a replace needs the current head`, { details: { base: p.base, head } });
    }
    if (p.errors.length) {
      throw new SilError('SIL_CONFIG_INVALID', `the bundle has ${p.errors.length} error(s); nothing was imported`, { details: { issues: p.errors } });
    }
    const files = p.files.map(({ path, change }) => ({ path, change }));
    if (files.length === 0) {
      ctx.body = { commit: p.base, changed: false, mode: p.mode, files, warnings: p.warnings };
      return;
    }
    const n = files.length;
    const message = `import: ${n} file${n === 1 ? '' : 's'}\n\n${files.map((f) => `${LETTER[f.change]} ${f.path}`).join('\n')}\n`;
    const result = await deps.writer.commit({ base: p.base, changes: p.changes, message, author: deps.author() });
    deps.log(`import: ${n} file(s) as ${result.commit.slice(0, 7)} (${p.mode})`);
    // Answer once the new commit is live, as the other writes do.
    if (deps.reload) await deps.reload().catch((e: Error) => deps.log(`api: reload after ${result.commit.slice(0, 7)} failed: ${e.message}`));
    ctx.status = 201;
    ctx.body = { commit: result.commit, parent: result.parent, changed: true, mode: p.mode, files, warnings: p.warnings };
  });
}
