// An error of the running server (a failed accept: no descriptors left) is logged and changes
// nothing else: the hub keeps serving and keeps loading new commits. Before, the listen-time
// handler took it as a failed start and stopped the reloader; a second one would have crashed.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';
import { clone, commitFiles, gitRun } from '../../helpers/git.ts';
import { MINIMAL } from '../../helpers/config-files.ts';

describe('errors of the running server', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub?.stop());

  it('logs a failed accept, keeps serving and keeps reloading', async () => {
    const emfile = () => Object.assign(new Error('accept EMFILE'), { code: 'EMFILE', syscall: 'accept' });
    hub.server.emit('error', emfile());
    hub.server.emit('error', emfile());
    const lines = hub.logs.filter((l) => l.startsWith('http: cannot accept'));
    expect(lines).toEqual(['http: cannot accept a connection: accept EMFILE; the process has no file descriptors left: raise the open-files limit (ulimit -n)']);
    expect((await hub.health()).status).toBe(200);
    const work = clone(hub.gitdir, join(hub.dir, 'work'));
    const commit = commitFiles(work, { 'providers/openai-main.yaml': MINIMAL['providers/openai-main.yaml'] }, 'add openai');
    gitRun(work, ['push', '-q', 'origin', 'main']);
    const { body } = await hub.waitFor((b) => b.config.commit === commit, 5000);
    expect(body.config.commit).toBe(commit);
  });
});
