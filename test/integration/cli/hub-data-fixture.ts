// A real hub data directory for the deployment tests (backup, restore drill, doctor), made the
// way an operator makes one: `sil init`, a clone with a provider and a binding pushed through the
// hook, `sil keys add`, `sil tokens create`, and an owner account. Plus `sil start` as a child.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { OwnerStore } from '../../../server/api/owner/owner-store.ts';
import { sil } from '../../helpers/cli.ts';
import { killIfRunning, spawnSil, type SilProcess } from '../../helpers/sil-process.ts';
import type { MockReply, Received } from '../../helpers/mock-upstream.ts';

export const PROVIDER_KEY = `sk-proj-${'d'.repeat(40)}`;

export const providerYaml = (upstream: string) => `id: openai-main\ntemplate: openai\nname: OpenAI (main)\nenvironment: prod\nenabled: true\nconnection:\n  baseUrl: ${upstream}/v1\n`;
export const BINDING_YAML = 'name: chat\nenvironment: prod\nprotocol: openai-chat\nstrategy: priority\ntargets:\n  - provider: openai-main\n    model: gpt-4o\nfailover:\n  on: [connect-error, timeout, "429", "5xx"]\n  maxAttempts: 2\n';

/** Runs git with a test identity; returns stdout. */
export function gitRun(args: string[], cwd?: string): string {
  return execFileSync('git', ['-c', 'user.name=Owner', '-c', 'user.email=owner@example.test', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Clones DATA/config.git, writes the files (path → text; a function edits the current text), commits and pushes (through the hook). */
export function pushFiles(dataDir: string, work: string, files: Record<string, string | ((old: string) => string)>, message: string): void {
  gitRun(['clone', '--quiet', join(dataDir, 'config.git'), work]);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(work, path, '..'), { recursive: true });
    const text = typeof content === 'function' ? content(readFileSync(join(work, path), 'utf8')) : content;
    writeFileSync(join(work, path), text);
  }
  gitRun(['add', '-A'], work);
  gitRun(['commit', '--quiet', '-m', message], work);
  gitRun(['push', '--quiet', 'origin', 'main'], work);
}

export function silOk(args: string[], input?: string): string {
  const r = sil(args, { input });
  expect(r.status, `sil ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** The owner account, as the setup link would make it (the password hash is a stand-in). */
export async function setUpOwnerFile(dataDir: string): Promise<void> {
  const owners = new OwnerStore(join(dataDir, 'state'));
  const token = await owners.issueSetupToken(new Date());
  const totpSecret = await owners.beginSetup(token, new Date());
  await owners.completeSetup(token, new Date(), { passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA', totpSecret, totpLastStep: -1 });
}

/** A data directory with provider openai-main (at `upstream`), binding chat, a key, client web and an owner; returns the client token. */
export async function makeHubData(dataDir: string, work: string, upstream: string, settings?: (old: string) => string): Promise<string> {
  silOk(['init', '--data', dataDir]);
  pushFiles(dataDir, work, { 'providers/openai-main.yaml': providerYaml(upstream), 'bindings/chat.yaml': BINDING_YAML, ...(settings ? { 'sil.yaml': settings } : {}) }, 'chat: add openai-main');
  silOk(['keys', 'add', 'openai-main', '--data', dataDir], PROVIDER_KEY);
  const token = /^(sil_\w+)$/m.exec(silOk(['tokens', 'create', 'web', '--binding', 'chat', '--data', dataDir]))?.[1];
  if (!token) throw new Error('sil tokens create printed no token');
  await setUpOwnerFile(dataDir);
  return token;
}

/** An OpenAI chat completion answer that also says which key it was called with. */
export function chatReply(req: Received): MockReply {
  return {
    status: 200,
    body: { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: `auth ${req.headers.authorization === `Bearer ${PROVIDER_KEY}` ? 'ok' : 'wrong'}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
  };
}

export function chat(url: string, token: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }) });
}

export interface StartedSil { url: string; hubPid: number; process: SilProcess; stop(): Promise<void> }

/** `sil start --data DIR --host 127.0.0.1 --port 0`, up; stop() ends it (SIGTERM, then SIGKILL). */
export async function startSil(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<StartedSil> {
  const p = spawnSil(['start', '--data', dataDir, '--host', '127.0.0.1', '--port', '0'], { env });
  let hubPid = 0;
  const stop = async () => {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGTERM');
      await p.exited(15_000).catch(() => p.child.kill('SIGKILL'));
    }
    killIfRunning(hubPid);
  };
  try {
    const [, url] = await p.waitFor(/sil listening on (http:\/\/127\.0\.0\.1:\d+)/, 90_000);
    hubPid = (JSON.parse(readFileSync(join(dataDir, 'hub.lock'), 'utf8')) as { pid: number }).pid;
    return { url, hubPid, process: p, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** An age identity file made by the real age-keygen; returns its recipient. */
export function ageKeygen(path: string): string {
  execFileSync('age-keygen', ['-o', path], { stdio: 'ignore' });
  return execFileSync('age-keygen', ['-y', path], { encoding: 'utf8' }).trim();
}
