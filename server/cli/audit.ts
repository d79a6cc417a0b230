// `sil audit verify|list`: checks the runtime audit log's hash chain and the config history's
// signatures, and lists audit entries. Read-only: nothing in the data directory is changed.
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { SilError } from '../errors.ts';
import { resolveDataDir } from '../config/data-dir.ts';
import { AUDIT_EVENT_TYPES, isAuditEventType } from '../observe/audit-event.ts';
import { MAX_PAGE, readAuditPage, verifyAuditDir } from '../observe/audit-files.ts';
import type { AuditEntry } from '../observe/audit-chain.ts';
import { DATA_OPTION, type Command, type Io } from './command.ts';

const USAGE = `Usage: sil audit verify [--data DIR]
       sil audit list [--limit N] [--type TYPE] [--before SEQ] [--json] [--data DIR]

The runtime audit log (data/audit/) records events that are not config changes: setup, logins,
failed logins, lockouts, token use denied, failovers, config rejected. Each entry is a JSON line
chained to the one before by its SHA-256 hash; head.json anchors the last one. Config changes are
audited by the config repository's (signed) git history. See docs/security.md.

  verify   check the audit log's chain (an edited, removed, reordered or malformed line, a removed
           file, a removed tail) and the signatures of the commits on main. Names the first broken
           entry as file:line and exits 1 when either is broken; unsigned commits fail only when
           sil.yaml sets security.requireSignedCommits.
  list     entries newest first

Options:
  -n, --limit N       list: how many entries (default 50, at most ${MAX_PAGE})
  -t, --type TYPE     list: only this event type (${AUDIT_EVENT_TYPES.join(', ')})
      --before SEQ    list: only entries older than SEQ (the next page)
      --json          list: one JSON entry per line, as stored
  -d, --data DIR      data directory (default ./data, or SIL_DATA)`;

const SUBCOMMANDS: Record<string, string[]> = {
  verify: ['data'],
  list: ['limit', 'type', 'before', 'json', 'data'],
};

const usage = (message: string) => new SilError('SIL_USAGE', `sil audit: ${message}`, { hint: 'run `sil audit --help`' });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

async function dataDirOf(values: Record<string, unknown>, io: Io): Promise<string> {
  const dataDir = resolveDataDir(values.data as string | undefined, io.env);
  if (!(await stat(dataDir).then((s) => s.isDirectory(), () => false))) {
    throw new SilError('SIL_DATA_DIR', `no data directory at ${dataDir}`, { hint: 'pass the hub\'s data directory with --data DIR (or SIL_DATA)' });
  }
  return dataDir;
}

function integer(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || n < min || n > max) throw usage(`--${name} must be a whole number from ${min} to ${max}, not "${String(value)}"`);
  return n;
}

async function verify(dataDir: string, io: Io): Promise<number> {
  const dir = join(dataDir, 'audit');
  const { report, files } = await verifyAuditDir(dir);
  let ok = report.ok;
  if (report.broken) {
    const b = report.broken;
    const where = b.line > 0 ? `${join(dir, b.file)}:${b.line}` : join(dir, b.file);
    io.out(`audit log: first broken entry ${where}${b.seq === undefined ? '' : ` (seq ${b.seq})`}: ${b.problem}: ${b.message}`);
    io.out(`audit log: ${plural(report.entries, 'entry', 'entries')} before it intact, ${plural(files.length, 'file')} in ${dir}`);
  } else {
    io.out(`audit log: ${plural(report.entries, 'entry', 'entries')} in ${plural(files.length, 'file')}, chain intact`);
  }
  for (const w of report.warnings) io.out(`warning: ${w}`);
  const { checkConfigHistory } = await import('./audit-history.ts'); // git and SSH code: loaded when needed
  const history = await checkConfigHistory(dataDir);
  if (history === null) io.out(`config history: no config repository at ${join(dataDir, 'config.git')}; not checked`);
  else {
    for (const line of history.lines) io.out(line);
    ok &&= history.ok;
  }
  return ok ? 0 : 1;
}

function formatEntry(e: AuditEntry): string {
  const detail = Object.entries(e.detail).map(([k, v]) => `${k}=${typeof v === 'string' && /[\s"=]/.test(v) ? JSON.stringify(v) : String(v)}`);
  return [String(e.seq).padStart(6), e.at, e.type.padEnd(18), e.actor, e.ip ?? '-', ...detail].join('  ');
}

async function list(dataDir: string, values: Record<string, unknown>, io: Io): Promise<number> {
  const type = values.type as string | undefined;
  if (type !== undefined && !isAuditEventType(type)) throw usage(`unknown event type "${type}" (${AUDIT_EVENT_TYPES.join(', ')})`);
  const limit = integer(values.limit, 'limit', 1, MAX_PAGE);
  const before = integer(values.before, 'before', 1, Number.MAX_SAFE_INTEGER);
  const page = await readAuditPage(join(dataDir, 'audit'), { limit, type, before });
  if (values.json) {
    for (const e of page.entries) io.out(JSON.stringify(e));
    return 0;
  }
  if (page.entries.length === 0) {
    io.out('no audit entries');
    return 0;
  }
  for (const e of page.entries) io.out(formatEntry(e));
  if (page.next !== null) io.out(`more: sil audit list --before ${page.next}${type ? ` --type ${type}` : ''}${limit ? ` --limit ${limit}` : ''}`);
  return 0;
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'verify the audit log and the config history\'s signatures; list audit entries',
  usage: USAGE,
  options: {
    ...DATA_OPTION,
    limit: { type: 'string', short: 'n' },
    type: { type: 'string', short: 't' },
    before: { type: 'string' },
    json: { type: 'boolean' },
  },
  maxPositionals: 1,
  async run(values, positionals, io) {
    const [sub] = positionals;
    if (!sub) throw usage('missing subcommand (verify or list)');
    if (!Object.hasOwn(SUBCOMMANDS, sub)) throw usage(`unknown subcommand "${sub}" (verify or list)`);
    for (const key of Object.keys(values)) {
      if (key !== 'help' && values[key] !== undefined && !SUBCOMMANDS[sub].includes(key)) throw usage(`${sub} does not take --${key}`);
    }
    const dataDir = await dataDirOf(values, io);
    return sub === 'verify' ? verify(dataDir, io) : list(dataDir, values, io);
  },
};
