// The README's example, walked as a newcomer would: the hub started with `sil start`, the mock
// with `sil mock openai`, then the shell blocks of "Changing the config with git" and "Calling
// the proxy" run as written by bash (with `sil` as the README's alias), and the curl call made
// with fetch: 200 with the mock's answer. Only the ports differ from the README's.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SIL_BIN, silStart, stop } from '../../helpers/cli.ts';
import { startMockCli, stopWith, type MockCli } from '../../helpers/mock-cli.ts';
import { gitRun } from '../../helpers/git.ts';
import { tempDir } from '../../helpers/tmp.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = (lang: string) => [...README.matchAll(new RegExp(`\`\`\`${lang}\\n([^]*?)\`\`\``, 'g'))].map((m) => m[1]);
const block = (lang: string, ...parts: string[]) => {
  const found = blocks(lang).filter((b) => parts.every((p) => b.includes(p)));
  expect(found, `one README ${lang} block with ${parts.join(', ')}`).toHaveLength(1);
  return found[0];
};

describe('the README example, end to end', () => {
  const tmp = tempDir('sil-readme-');
  const project = join(tmp.path, 'project');
  const home = join(tmp.path, 'home');
  let hub: { child: ChildProcess; url: string } | undefined;
  let mock: MockCli | undefined;

  beforeAll(async () => {
    mkdirSync(project);
    mkdirSync(home);
    [hub, mock] = await Promise.all([silStart(['--data', join(project, 'data'), '--port', '0']), startMockCli()]);
  });
  afterAll(async () => {
    if (mock) await stopWith(mock.child);
    if (hub) await stop(hub.child);
    tmp.cleanup();
  });

  /** Runs README shell text with bash in the project folder, `sil` being the README's alias. */
  function bash(script: string, name: string) {
    const file = join(tmp.path, `${name}.sh`);
    writeFileSync(file, `shopt -s expand_aliases\nalias sil="node ${SIL_BIN}"\nset -e\n${script}`);
    const r = spawnSync('bash', [file], {
      cwd: project,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        HOME: home,
        PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
        GIT_AUTHOR_NAME: 'New Comer', GIT_AUTHOR_EMAIL: 'newcomer@example.test', GIT_COMMITTER_NAME: 'New Comer', GIT_COMMITTER_EMAIL: 'newcomer@example.test',
        GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'commit.gpgsign', GIT_CONFIG_VALUE_0: 'false',
      },
    });
    expect(r.status, `${name}:\n${r.stdout}${r.stderr}`).toBe(0);
    return r;
  }

  async function liveAt(commit: string): Promise<void> {
    const started = Date.now();
    let live: string | null = null;
    while (Date.now() - started < 5000) {
      live = ((await (await fetch(`${hub!.url}/healthz`)).json()) as { config: { commit: string | null } }).config.commit;
      if (live === commit) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(live, 'the hub serves the newest commit within 5 s').toBe(commit);
  }

  it('puts sil on the PATH and starts the mock on the port the provider names', () => {
    const setup = block('sh', 'npm link', 'sil mock openai');
    expect(setup).toMatch(/sil mock openai --port 9901/);
    expect(block('sh', 'git clone', 'sil validate .')).toMatch(/baseUrl: http:\/\/127\.0\.0\.1:9901\/v1/);
  });

  it('answers 200 with the mock\'s answer, through the config pushed and the key and token issued as written', async () => {
    const mockHost = new URL(mock!.url).host;
    const bare = join(project, 'data', 'config.git');

    // Changing the config with git: clone outside the project folder, two files, validate, push.
    const config = bash(block('sh', 'git clone', 'sil validate .').replaceAll('127.0.0.1:9901', mockHost), 'config');
    expect(config.stdout).toMatch(/^valid: \. \(1 providers, 1 bindings/m);
    expect(gitRun(join(home, 'sil-config'), ['log', '-1', '--format=%s'])).toBe('chat: add openai-main');

    // Calling the proxy: the key and the token as written; then the curl call.
    const call = block('sh', 'sil keys add openai-main', 'curl');
    const [commands, curl] = [call.slice(0, call.indexOf('curl ')), call.slice(call.indexOf('curl '))];
    const issued = bash(`${commands}\nprintf 'TOKEN=%s\\n' "$TOKEN"\n`, 'call');
    const token = /^TOKEN=(sil_\S+)$/m.exec(issued.stdout)?.[1];
    expect(token).toBeDefined();
    await liveAt(gitRun(bare, ['rev-parse', 'main']));

    const url = /^curl (\S+)/.exec(curl)![1].replace('127.0.0.1:8080', new URL(hub!.url).host);
    const body = /-d '([^']*)'/.exec(curl)![1];
    expect(curl).toContain('-H "Authorization: Bearer $TOKEN"');
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    const answer = (await res.json()) as { model: string; choices: { message: { content: string } }[]; usage: { total_tokens: number } };
    expect(res.status, JSON.stringify(answer)).toBe(200);
    expect(res.headers.get('x-sil-provider')).toBe('openai-main');

    // What the README shows the mock answering.
    const shown = JSON.parse(block('json', 'chat.completion', 'sil mock').replace('chatcmpl-…', 'x')) as typeof answer;
    expect(answer.choices[0].message.content).toBe(shown.choices[0].message.content);
    expect(answer).toMatchObject({ model: shown.model, usage: shown.usage });
    // The mock prints its line after answering; it reaches this process's pipe a moment later.
    const logged = /^POST \/v1\/chat\/completions 200 \d+ ms$/m;
    for (let i = 0; i < 100 && !logged.test(mock!.stdout()); i++) await new Promise((r) => setTimeout(r, 20));
    expect(mock!.stdout()).toMatch(logged);
  }, 120_000);

  it('runs `npx sil` in the project folder', (ctx) => {
    const r = spawnSync('npx', ['--no', '--', 'sil', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` } });
    if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') ctx.skip('npx is not installed');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sil — the Service Integration Layer\n/);
    expect(r.stdout).toMatch(/^ {2}mock +/m);
  });
});
