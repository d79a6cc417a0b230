// docs/deploy/hetzner.md and the files it installs (deploy/systemd/*, deploy/caddy/Caddyfile)
// cannot drift apart: the paths of the page's table, the units' ExecStart and ReadWritePaths and
// the Caddyfile's upstream must agree, the page must quote each ExecStart and describe exactly the
// unit's sandboxing options. With systemd-analyze (and caddy) on the machine, the files are also
// checked by the tools themselves.
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../helpers/tmp.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const DOC_PATH = 'docs/deploy/hetzner.md';
const DOC = read(DOC_PATH);
const UNITS = ['deploy/systemd/sil.service', 'deploy/systemd/sil-backup.service', 'deploy/systemd/sil-backup.timer'];

type Unit = Record<string, Record<string, string[]>>;

/** systemd's unit syntax, as far as these files use it: sections, Key=value (repeatable), comments. */
function parseUnit(text: string): Unit {
  const unit: Unit = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1];
      unit[section] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 1 || !section) throw new Error(`not a unit line: ${raw}`);
    (unit[section][line.slice(0, eq)] ??= []).push(line.slice(eq + 1));
  }
  return unit;
}

/** The `| what | path |` table of the page's "Paths" section. */
function docPaths(): Record<string, string> {
  const section = DOC.slice(DOC.indexOf('## Paths'), DOC.indexOf('\n## ', DOC.indexOf('## Paths') + 5));
  const rows: Record<string, string> = {};
  for (const m of section.matchAll(/^\| ([a-z ]+) \| `([^`]+)` \|$/gm)) rows[m[1]] = m[2];
  return rows;
}

/** `--flag value` pairs and the bare words of an ExecStart line. */
function argsOf(execStart: string): { words: string[]; flags: Record<string, string> } {
  const words = execStart.split(/\s+/);
  const flags: Record<string, string> = {};
  for (let i = 0; i < words.length; i++) if (words[i].startsWith('--') && !words[i].includes('=') && words[i + 1] && !words[i + 1].startsWith('--')) flags[words[i]] = words[i + 1];
  return { words, flags };
}

const hub = parseUnit(read(UNITS[0])).Service;
const backup = parseUnit(read(UNITS[1])).Service;
const timer = parseUnit(read(UNITS[2]));
const paths = docPaths();
const one = (s: Record<string, string[]>, key: string) => {
  expect(s[key], key).toHaveLength(1);
  return s[key][0];
};

/** Keys of the hub's [Service] that run it; every other key is a sandboxing option. */
const OPERATIONAL = new Set(['Type', 'User', 'Group', 'ExecStart', 'EnvironmentFile', 'Environment', 'WorkingDirectory', 'UMask', 'Restart', 'RestartSec', 'TimeoutStopSec', 'LimitNOFILE']);
const sandbox = (s: Record<string, string[]>) => Object.keys(s).filter((k) => !OPERATIONAL.has(k) && !k.startsWith('ExecStart') && !['Nice', 'IOSchedulingClass'].includes(k));

const tmp = tempDir('sil-units-');
afterAll(() => tmp.cleanup());

describe('docs/deploy/hetzner.md and deploy/systemd agree', () => {
  it('the page lists the paths', () => {
    expect(Object.keys(paths).sort()).toEqual(['backup recipients', 'backups', 'data directory', 'environment file', 'installation', 'listen address', 'node'].sort());
  });

  it('sil.service runs the hub of the installation on the data directory and address of the page, as a non-root user', () => {
    const exec = one(hub, 'ExecStart');
    const { words, flags } = argsOf(exec);
    const hubFlags = (JSON.parse(read('server/runtime-flags.json')) as { hub: string[] }).hub;
    expect(words[0]).toBe(paths.node);
    expect(words.slice(1, 1 + hubFlags.length)).toEqual(hubFlags);
    expect(words[1 + hubFlags.length]).toBe(`${paths.installation}/bin/sil.js`);
    expect(words[2 + hubFlags.length]).toBe('start');
    expect(flags['--data']).toBe(paths['data directory']);
    expect(`${flags['--host']}:${flags['--port']}`).toBe(paths['listen address']);
    expect(hub.ReadWritePaths).toEqual([paths['data directory']]);
    expect(one(hub, 'WorkingDirectory')).toBe(paths['data directory']);
    expect(one(hub, 'EnvironmentFile').replace(/^-/, '')).toBe(paths['environment file']);
    expect(one(hub, 'User')).toBe('sil');
    expect(DOC).toContain(`ExecStart=${exec}\n`);
  });

  it('sil.service has the sandboxing the issue asks for, MemoryDenyWriteExecute off', () => {
    const expected: Record<string, string> = {
      NoNewPrivileges: 'yes', ProtectSystem: 'strict', PrivateTmp: 'yes', ProtectHome: 'yes', CapabilityBoundingSet: '',
      SystemCallFilter: '@system-service', LockPersonality: 'yes', MemoryDenyWriteExecute: 'no',
    };
    for (const [key, value] of Object.entries(expected)) expect(`${key}=${one(hub, key)}`).toBe(`${key}=${value}`);
    expect(one(hub, 'RestrictAddressFamilies').split(' ')).toEqual(expect.arrayContaining(['AF_UNIX', 'AF_INET', 'AF_INET6']));
    expect(DOC).toMatch(/\*\*Why `MemoryDenyWriteExecute` stays off\.\*\*[^]*JIT[^]*WebAssembly/);
  });

  it('the page\'s sandbox table describes exactly the unit\'s options, with the same values', () => {
    const table = new Map([...DOC.matchAll(/^\| `(\w+)=([^`]*)` \|/gm)].map((m) => [m[1], m[2]]));
    expect([...table.keys()].sort()).toEqual(sandbox(hub).sort());
    for (const [key, value] of table) expect(`${key}=${value}`).toBe(`${key}=${one(hub, key)}`);
  });

  it('sil-backup.service backs up the same data directory into the page\'s backup folder, sandboxed, and the timer runs it nightly', () => {
    const exec = one(backup, 'ExecStart');
    const { words, flags } = argsOf(exec);
    expect(words.slice(0, 3)).toEqual([paths.node, `${paths.installation}/bin/sil.js`, 'backup']);
    expect(flags['--data']).toBe(paths['data directory']);
    expect(flags['--out']).toBe(`${paths.backups}/`);
    expect(flags['--recipients-file']).toBe(paths['backup recipients']);
    expect(backup.ReadWritePaths).toEqual([paths.backups]);
    expect(one(backup, 'User')).toBe(one(hub, 'User'));
    expect(one(backup, 'Type')).toBe('oneshot');
    for (const key of sandbox(hub).filter((k) => k !== 'ReadWritePaths' && k !== 'RemoveIPC')) expect(backup[key], key).toBeDefined();
    expect(one(backup, 'MemoryDenyWriteExecute')).toBe('no');
    expect(DOC).toContain(`ExecStart=${exec}\n`);
    expect(one(timer.Timer, 'OnCalendar')).toMatch(/^\*-\*-\* \d\d:\d\d:\d\d$/);
    expect(one(timer.Timer, 'Persistent')).toBe('true');
    expect(one(timer.Install, 'WantedBy')).toBe('timers.target');
  });

  it('the Caddyfile proxies to the listen address and keeps /metrics off the internet', () => {
    const caddy = read('deploy/caddy/Caddyfile');
    expect(caddy).toMatch(new RegExp(`^\\treverse_proxy ${paths['listen address'].replace(/\./g, '\\.')} \\{$`, 'm'));
    expect(caddy).toMatch(/^\t@metrics path \/metrics\n\trespond @metrics 404$/m);
    expect(caddy).toContain('flush_interval -1');
  });

  it('every repository file the page links to exists', () => {
    const links = [...DOC.matchAll(/\]\((\.\.?\/[^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(5);
    const missing = links.filter((l) => !existsSync(resolve(ROOT, dirname(DOC_PATH), l)));
    expect(missing).toEqual([]);
  });

  it('every #anchor the page links to is a heading of its target', () => {
    const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const headings = (text: string) => new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1].replace(/`/g, ''))));
    const anchors = [...DOC.matchAll(/\]\(([^)#\s]*)#([^)\s]+)\)/g)].map((m) => ({ file: m[1], anchor: m[2] }));
    expect(anchors.length).toBeGreaterThan(3);
    const broken = anchors.filter(({ file, anchor }) => {
      const target = file ? resolve(ROOT, dirname(DOC_PATH), file) : join(ROOT, DOC_PATH);
      return !existsSync(target) || !headings(readFileSync(target, 'utf8')).has(anchor);
    });
    expect(broken).toEqual([]);
  });
});

const ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

describe('systemd-analyze on the units', () => {
  it.skipIf(!ANALYZE)(`verify: no warnings (${ANALYZE ? ANALYZE : 'skipped: systemd-analyze is not installed (apt-get install systemd)'})`, () => {
    for (const u of UNITS) copyFileSync(join(ROOT, u), join(tmp.path, u.split('/').pop()!));
    // verify checks that ExecStart's program exists; without Node at the page's path (a CI
    // machine with Node elsewhere) the copies name this Node instead.
    if (!existsSync(paths.node)) {
      for (const name of ['sil.service', 'sil-backup.service']) {
        const p = join(tmp.path, name);
        writeFileSync(p, readFileSync(p, 'utf8').replaceAll(`=${paths.node} `, `=${process.execPath} `));
      }
    }
    const r = spawnSync(ANALYZE!, ['verify', ...['sil.service', 'sil-backup.service', 'sil-backup.timer'].map((n) => join(tmp.path, n))], { encoding: 'utf8', cwd: tmp.path });
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  });

  it.skipIf(!ANALYZE)('security --offline: the hub\'s exposure stays "OK" (2.0 or lower)', () => {
    const r = spawnSync(ANALYZE!, ['security', '--offline=true', join(ROOT, UNITS[0])], { encoding: 'utf8' });
    if (/unrecognized option|Unknown command/i.test(r.stderr)) return; // systemd older than 250: no offline mode
    const level = /Overall exposure level for sil\.service: ([\d.]+)/.exec(r.stdout)?.[1];
    expect(level, r.stdout + r.stderr).toBeDefined();
    expect(Number(level)).toBeLessThanOrEqual(2.0);
  });
});

const CADDY = [process.env.CADDY_BIN, '/usr/bin/caddy', '/usr/local/bin/caddy'].find((p) => p && existsSync(p));

describe('caddy on the Caddyfile', () => {
  it.skipIf(!CADDY)(`validate (${CADDY ?? 'skipped: caddy is not installed; set CADDY_BIN to a caddy binary to run it'})`, () => {
    const env = { ...process.env, HOME: tmp.path, XDG_DATA_HOME: tmp.path, XDG_CONFIG_HOME: tmp.path };
    const out = execFileSync(CADDY!, ['validate', '--config', join(ROOT, 'deploy/caddy/Caddyfile'), '--adapter', 'caddyfile'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toContain('Valid configuration');
    expect(execFileSync(CADDY!, ['fmt', join(ROOT, 'deploy/caddy/Caddyfile')], { encoding: 'utf8', env })).toBe(read('deploy/caddy/Caddyfile'));
  });
});
