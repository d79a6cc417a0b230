import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { statSync, readFileSync } from 'node:fs';
import { sil, silStart, stop } from '../../helpers/cli.ts';
import { tempDir, writeFiles } from '../../helpers/tmp.ts';
import { clone, commitFiles } from '../../helpers/git.ts';
import { MINIMAL, CHAT_BINDING } from '../../helpers/config-files.ts';

const tmp = tempDir('sil-cli-');
afterAll(() => tmp.cleanup());

describe('sil command line', () => {
  it('prints usage for --help on every command, and exits 2 on usage errors', () => {
    const top = sil(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/Commands:\n  start .*\n  init .*\n  validate .*\n  catalog /);
    for (const cmd of ['start', 'init', 'validate', 'catalog']) {
      const r = sil([cmd, '--help']);
      expect(r.status, cmd).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: sil ${cmd}`));
    }
    const unknown = sil(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/sil: unknown command "frobnicate" \[SIL_USAGE\]\nhint: run `sil --help`/);
    const badFlag = sil(['validate', '--bogus']);
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toMatch(/sil validate: Unknown option '--bogus'.*\nhint: run `sil validate --help`/);
    expect(sil(['start', '--port', 'eighty', '--data', join(tmp.path, 'never')]).stderr).toMatch(/invalid port "eighty"/);
  });

  it('sil init creates the data directory, honours SIL_DATA, and is idempotent', () => {
    const data = join(tmp.path, 'env-data');
    const r = sil(['init'], { env: { SIL_DATA: data } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/created .*env-data\/config\.git \(first commit [0-9a-f]{40}\)/);
    expect(statSync(join(data, 'keys', 'age.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(data, 'keys', 'age.key'), 'utf8')).toMatch(/^# created: .*\n# public key: age1[a-z0-9]{58}\nAGE-SECRET-KEY-1[A-Z0-9]+\n$/);
    expect(statSync(join(data, 'config.git', 'hooks', 'pre-receive')).mode & 0o111).not.toBe(0);
    const again = sil(['init', '--data', data]);
    expect(again.stdout).toMatch(/exists; hook refreshed/);
  });

  it('sil validate DIR: exit 0 when valid, 1 with path:line:column lines when not', () => {
    const dir = join(tmp.path, 'work-dir');
    writeFiles(dir, MINIMAL);
    const ok = sil(['validate', dir]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^valid: .* \(1 providers, 1 bindings, 0 secrets files, 0 warnings\)$/m);
    writeFiles(dir, { 'bindings/chat.yaml': CHAT_BINDING.replace('openai-main', 'openai-other').replace('maxAttempts: 2', 'maxAttempts: 0') });
    const bad = sil(['validate', dir]);
    expect(bad.status).toBe(1);
    expect(bad.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^bindings\/chat\.yaml:11:16: failover\.maxAttempts: must be >= 1 \[SIL_CONFIG_SCHEMA\] hint: /),
      expect.stringMatching(/^invalid: .*work-dir: 1 error\(s\)$/),
    ]);
  });

  it('sil validate --repo GITDIR --rev REV reads a commit with native git', () => {
    const data = join(tmp.path, 'repo-data');
    sil(['init', '--data', data]);
    const work = clone(join(data, 'config.git'), join(tmp.path, 'repo-work'));
    const good = commitFiles(work, { 'providers/openai-main.yaml': MINIMAL['providers/openai-main.yaml'] });
    const bad = commitFiles(work, { 'bindings/chat.yaml': CHAT_BINDING.replace('environment: prod', 'environment: dev') });
    expect(sil(['validate', '--repo', join(work, '.git'), '--rev', good]).status).toBe(0);
    const r = sil(['validate', '--repo', join(work, '.git'), '--rev', bad]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^bindings\/chat\.yaml:7:15: target provider "openai-main" is in environment "prod", this binding is in "dev" \[SIL_CONFIG_ENVIRONMENT\]/m);
    // Without a DIR, the data directory's repository at main.
    expect(sil(['validate', '--data', data]).stdout).toMatch(/^valid: main \(0 providers/m);
    expect(sil(['validate', '--repo', join(work, '.git'), '--rev', 'no-such-rev']).stderr).toMatch(/git ls-tree failed/);
  });

  it('sil catalog lists the 41 templates, by category and as JSON', () => {
    const r = sil(['catalog']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^openai +AI +bearer +chat\(openai-chat\)/m);
    expect(r.stdout).toMatch(/^41 templates$/m);
    expect(sil(['catalog', '--category', 'payment']).stdout).toMatch(/^4 templates$/m);
    const json = JSON.parse(sil(['catalog', '--json', '--category', 'Maps']).stdout) as { id: string }[];
    expect(json.map((t) => t.id).sort()).toEqual(['google-maps', 'here', 'mapbox']);
  });

  it('sil start explains a port that is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = sil(['start', '--data', join(tmp.path, 'busy'), '--port', String(port)]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`sil: cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE \\[SIL_LISTEN\\]\nhint: Another process may use the port`));
    } finally {
      blocker.close();
    }
  });

  it('sil start serves /healthz on SIL_HOST/SIL_PORT and stops cleanly on SIGTERM', async () => {
    const data = join(tmp.path, 'start-data');
    const { child, url } = await silStart([], { SIL_DATA: data, SIL_HOST: '127.0.0.1', SIL_PORT: '0' });
    try {
      const res = await fetch(`${url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', config: { error: null } });
      const missing = await fetch(`${url}/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { code: 'SIL_NOT_FOUND' } });
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });
});
