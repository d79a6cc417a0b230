import { describe, it, expect, afterAll } from 'vitest';
import { join, dirname, normalize } from 'node:path/posix';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { SCHEMA_DIR } from '../../../server/config/schemas.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { gitRun } from '../../helpers/git.ts';

describe('initDataDir', () => {
  const tmp = tempDir('sil-init-');
  afterAll(() => tmp.cleanup());

  it('writes a first commit whose files point their $schema line at copies in the repository', async () => {
    const { paths, commit } = await initDataDir(join(tmp.path, 'data'));
    const bare = paths.gitdir;
    expect(gitRun(bare, ['rev-parse', 'main'])).toBe(commit);
    const files = gitRun(bare, ['ls-tree', '-r', '--name-only', 'main']).split('\n');
    expect(files).toEqual(expect.arrayContaining(['sil.yaml', '.sops.yaml', 'README.md', '.sil/schemas/binding.schema.json', '.sil/schemas/provider-template.schema.json']));
    const settings = gitRun(bare, ['show', 'main:sil.yaml']);
    const ref = /^# yaml-language-server: \$schema=(\S+)$/m.exec(settings)![1];
    expect(files).toContain(normalize(join(dirname('sil.yaml'), ref)));
    for (const f of files.filter((x) => x.startsWith('.sil/schemas/'))) {
      expect(gitRun(bare, ['show', `main:${f}`])).toBe(readFileSync(new URL(f.slice('.sil/schemas/'.length), SCHEMA_DIR), 'utf8').trim());
    }
    expect(parse(settings)).toMatchObject({ version: 1, environments: ['dev', 'prod'] });
  });

  it('lists the server age recipient in .sops.yaml for the sops CLI', async () => {
    const { paths } = await initDataDir(join(tmp.path, 'data'));
    const recipient = /# public key: (age1\S+)/.exec(readFileSync(paths.ageKey, 'utf8'))![1];
    const rules = parse(gitRun(paths.gitdir, ['show', 'main:.sops.yaml'])) as { creation_rules: { path_regex: string; age: string; encrypted_regex: string }[] };
    expect(rules.creation_rules[0].age).toBe(recipient);
    expect(new RegExp(rules.creation_rules[0].path_regex).test('secrets/openai-main.yaml')).toBe(true);
    expect(new RegExp(rules.creation_rules[0].path_regex).test('/home/me/config/secrets/openai-main.yaml')).toBe(true);
    expect(new RegExp(rules.creation_rules[0].path_regex).test('providers/openai-main.yaml')).toBe(false);
  });

  it('is idempotent: a second run keeps the history, the identity and the settings', async () => {
    const data = join(tmp.path, 'again');
    const first = await initDataDir(data);
    const key = readFileSync(first.paths.ageKey, 'utf8');
    const second = await initDataDir(data);
    expect(second.created).toBe(false);
    expect(readFileSync(second.paths.ageKey, 'utf8')).toBe(key);
    expect(gitRun(second.paths.gitdir, ['rev-parse', 'main'])).toBe(first.commit);
    expect(gitRun(second.paths.gitdir, ['config', 'receive.denyNonFastForwards'])).toBe('true');
  });
});
