import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';
import { clone, commitFiles, commitPastHook, gitRun } from '../../helpers/git.ts';
import { MINIMAL, OPENAI_MAIN } from '../../helpers/config-files.ts';

describe('hot reload from the config repository', () => {
  let hub: TestHub;
  let work: string;

  beforeAll(async () => {
    hub = await startTestHub();
    work = clone(hub.gitdir, join(hub.dir, 'work'));
  });
  afterAll(() => hub.stop());

  it('serves /healthz on the first commit of a new data directory', async () => {
    const { status, body } = await hub.health();
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.config.commit).toBe(gitRun(work, ['rev-parse', 'HEAD']));
    expect(body.config.error).toBeNull();
    expect(Date.parse(body.config.loadedAt!)).not.toBeNaN();
  });

  it('makes a pushed commit live within 1 s', async () => {
    const commit = commitFiles(work, { 'providers/openai-main.yaml': MINIMAL['providers/openai-main.yaml'], 'bindings/chat.yaml': MINIMAL['bindings/chat.yaml'] }, 'add openai and chat');
    gitRun(work, ['push', '-q', 'origin', 'main']);
    const { body, waitedMs } = await hub.waitFor((b) => b.config.commit === commit);
    expect(body.config.commit).toBe(commit);
    expect(waitedMs).toBeLessThan(1000);
    expect(body.config).toMatchObject({ providers: 1, bindings: 1, error: null });
    const binding = hub.live.snapshot!.bindings.get('chat')!;
    expect(binding.targets).toEqual([{ provider: 'openai-main', service: 'chat', model: 'gpt-4o', weight: 1, key: undefined }]);
    expect(Object.isFrozen(binding.targets[0])).toBe(true);
    expect(hub.live.snapshot!.providers.get('openai-main')!.services.find((s) => s.id === 'chat')!.baseUrl).toBe('http://127.0.0.1:9901/v1');
  });

  it('keeps reloading after git gc packs the objects and refs', async () => {
    gitRun(hub.gitdir, ['gc', '--quiet', '--prune=now']);
    const commit = commitFiles(work, { 'policies/after-gc.yaml': 'name: after-gc\n' }, 'after gc');
    gitRun(work, ['push', '-q', 'origin', 'main']);
    const { body } = await hub.waitFor((b) => b.config.commit === commit);
    expect(body.config.commit).toBe(commit);
    expect(hub.live.snapshot!.policies.has('after-gc')).toBe(true);
    expect(hub.live.snapshot!.providers.get('openai-main')).toBeDefined();
  });

  it('never serves a bad commit written past the hook, and reports it', async () => {
    const good = hub.live.snapshot!.commit;
    const bad = commitPastHook(hub.gitdir, { 'bindings/chat.yaml': MINIMAL['bindings/chat.yaml'].replace('openai-main', 'openai-gone') });
    const { body } = await hub.waitFor((b) => b.config.error?.commit === bad);
    expect(body.status).toBe('degraded');
    expect(body.config.commit).toBe(good);
    expect(body.config.error!.messages).toEqual([expect.stringMatching(/^bindings\/chat\.yaml:7:15: target provider "openai-gone" does not exist/)]);
    expect(hub.live.snapshot!.commit).toBe(good);
  });

  it('stays up and keeps serving through hostile files written past the hook', async () => {
    const good = hub.live.snapshot!.commit;
    const bomb = 'id: x\na: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
    const hostile: Record<string, string>[] = [
      { 'providers/bomb.yaml': bomb },
      { 'providers/big.yaml': 'id: big\nname: "' + 'a'.repeat(20 * 1024 * 1024) + '"\n' },
      { 'providers/dup.yaml': 'id: dup\nid: dup\n' },
      { 'providers/evil.yaml': OPENAI_MAIN.replace('id: openai-main', 'id: ../../etc') },
    ];
    for (const files of hostile) {
      const bad = commitPastHook(hub.gitdir, files);
      const { body } = await hub.waitFor((b) => b.config.error?.commit === bad, 5000);
      expect(body.config.error?.commit).toBe(bad);
      expect(body.config.commit).toBe(good);
      expect(body.config.error!.messages!.length).toBeGreaterThan(0);
    }
    // A fix pushed on top goes live again and clears the error.
    gitRun(work, ['pull', '-q', '--ff-only']);
    const fixed = commitFiles(work, { 'providers/bomb.yaml': null, 'providers/big.yaml': null, 'providers/dup.yaml': null, 'providers/evil.yaml': null, 'bindings/chat.yaml': MINIMAL['bindings/chat.yaml'] }, 'fix');
    gitRun(work, ['push', '-q', 'origin', 'main']);
    const { body } = await hub.waitFor((b) => b.config.commit === fixed);
    expect(body).toMatchObject({ status: 'ok', config: { commit: fixed, error: null } });
  });
});

describe('start-up with an invalid branch head', () => {
  it('serves the newest valid ancestor and reports the head as rejected', async () => {
    const { initDataDir } = await import('../../../server/config/repo-init.ts');
    const { startHub } = await import('../../../server/main.ts');
    const { tempDir } = await import('../../helpers/tmp.ts');
    const tmp = tempDir('sil-fallback-');
    try {
      const { paths } = await initDataDir(join(tmp.path, 'data'));
      const good = commitPastHook(paths.gitdir, { 'providers/openai-main.yaml': MINIMAL['providers/openai-main.yaml'] }, 'good');
      const bad1 = commitPastHook(paths.gitdir, { 'bindings/chat.yaml': 'name: chat\n' }, 'bad 1');
      const bad2 = commitPastHook(paths.gitdir, { 'policies/x.yaml': 'name: y\n' }, 'bad 2');
      expect(bad1).not.toBe(bad2);
      const hub = await startHub({ dataDir: paths.dataDir, host: '127.0.0.1', port: 0, log: () => undefined });
      try {
        const body = await (await fetch(`${hub.url}/healthz`)).json();
        expect(body).toMatchObject({ status: 'degraded', config: { commit: good, providers: 1, error: { commit: bad2 } } });
      } finally {
        await hub.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
