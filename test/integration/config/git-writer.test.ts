import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { join } from 'node:path';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { SilError } from '../../../server/errors.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { gitRun, commitPastHook } from '../../helpers/git.ts';
import { OPENAI_MAIN, CHAT_BINDING } from '../../helpers/config-files.ts';

const owner = { name: 'Owner', email: 'owner@example.test' };

describe('git writer', () => {
  let tmp: ReturnType<typeof tempDir>;
  let bare: string;
  let first: string;
  const head = () => gitRun(bare, ['rev-parse', 'refs/heads/main']);
  const show = (rev: string, path: string) => gitRun(bare, ['show', `${rev}:${path}`]);

  beforeEach(async () => {
    tmp = tempDir('sil-writer-');
    const init = await initDataDir(join(tmp.path, 'data'));
    bare = init.paths.gitdir;
    first = init.commit!;
  });
  afterEach(() => tmp.cleanup());

  const writer = (sign?: (payload: string) => Promise<string>) => new GitWriter({ gitdir: bare, catalog: projectCatalog().catalog, sign });

  it('commits a change on the branch, readable by native git', async () => {
    const r = await writer().commit({ base: first, changes: { 'providers/openai-main.yaml': OPENAI_MAIN }, message: 'providers: add openai-main', author: owner });
    expect(head()).toBe(r.commit);
    expect(r.parent).toBe(first);
    expect(show('main', 'providers/openai-main.yaml')).toBe(OPENAI_MAIN.trim());
    expect(gitRun(bare, ['log', '-1', '--format=%an <%ae>|%s'])).toBe('Owner <owner@example.test>|providers: add openai-main');
    expect(gitRun(bare, ['fsck', '--no-dangling'])).toBe('');
  });

  it('refuses an edit based on a stale commit when a touched file changed since (409), writing nothing', async () => {
    const w = writer();
    const a = await w.commit({ base: first, changes: { 'providers/openai-main.yaml': OPENAI_MAIN }, message: 'add', author: owner });
    await w.commit({ base: a.commit, changes: { 'providers/openai-main.yaml': OPENAI_MAIN.replace('OpenAI (main)', 'Renamed') }, message: 'rename', author: owner });
    const before = head();
    const stale = w.commit({ base: a.commit, changes: { 'providers/openai-main.yaml': OPENAI_MAIN.replace('OpenAI (main)', 'Mine') }, message: 'stale edit', author: owner });
    await expect(stale).rejects.toMatchObject({ code: 'SIL_GIT_CONFLICT', status: 409, details: { files: ['providers/openai-main.yaml'] } });
    expect(head()).toBe(before);
  });

  it('applies a stale-based edit on the current head when its files did not change', async () => {
    const w = writer();
    const a = await w.commit({ base: first, changes: { 'providers/openai-main.yaml': OPENAI_MAIN }, message: 'add', author: owner });
    const b = await w.commit({ base: a.commit, changes: { 'policies/default.yaml': 'name: default\n' }, message: 'policy', author: owner });
    const c = await w.commit({ base: a.commit, changes: { 'bindings/chat.yaml': CHAT_BINDING }, message: 'binding', author: owner });
    expect(c.parent).toBe(b.commit);
    expect(show('main', 'policies/default.yaml')).toBe('name: default');
  });

  it('refuses an invalid change and leaves the branch as it was', async () => {
    const err = await writer().commit({ base: first, changes: { 'bindings/chat.yaml': CHAT_BINDING }, message: 'dangling binding', author: owner }).catch((e) => e);
    expect(err).toBeInstanceOf(SilError);
    expect(err.code).toBe('SIL_CONFIG_INVALID');
    expect(err.details.issues[0]).toMatchObject({ file: 'bindings/chat.yaml', line: 7, column: 15, code: 'SIL_CONFIG_REFERENCE' });
    expect(head()).toBe(first);
  });

  it('serialises concurrent writes into a linear history', async () => {
    const w = writer();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => w.commit({ base: null, changes: { [`policies/p${i}.yaml`]: `name: p${i}\n` }, message: `policy ${i}`, author: owner })),
    );
    expect(gitRun(bare, ['rev-list', '--count', 'main'])).toBe('9');
    for (let i = 1; i < results.length; i++) expect(results[i].parent).toBe(results[i - 1].commit);
    expect(gitRun(bare, ['ls-tree', '--name-only', 'main', 'policies/']).split('\n')).toHaveLength(8);
  });

  it('never orphans a commit pushed while it writes (compare-and-swap of the ref)', async () => {
    let pushed = '';
    // The signer runs between building the commit and updating the ref: land a push there.
    const w = writer(async () => {
      if (!pushed) pushed = commitPastHook(bare, { 'policies/pushed.yaml': 'name: pushed\n' });
      return '-----BEGIN SSH SIGNATURE-----\nplaceholder\n-----END SSH SIGNATURE-----';
    });
    const r = await w.commit({ base: first, changes: { 'policies/mine.yaml': 'name: mine\n' }, message: 'mine', author: owner });
    expect(r.parent).toBe(pushed);
    expect(show('main', 'policies/pushed.yaml')).toBe('name: pushed');
    expect(show('main', 'policies/mine.yaml')).toBe('name: mine');
  });

  it('refuses paths that leave their folder', async () => {
    for (const path of ['../outside.yaml', 'providers/../../x.yaml', '/abs.yaml', 'a//b.yaml', '.git/config']) {
      await expect(writer().commit({ base: first, changes: { [path]: 'x' }, message: 'x', author: owner })).rejects.toMatchObject({ code: 'SIL_CONFIG_FILE_PLACE' });
    }
    expect(head()).toBe(first);
  });
});
