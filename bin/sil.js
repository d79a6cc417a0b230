#!/usr/bin/env node
// The `sil` command. The CLI is TypeScript, run directly by Node (type stripping is on by default
// in every Node that package.json `engines` allows; on an older one, scripts/check-node.mjs says
// what to do in one line).
//
// `sil start` runs the hub with the V8 settings it is tuned for (server/runtime-flags.json: a
// larger young generation, so that the short-lived objects of proxied requests die young instead
// of filling the old generation; see docs/benchmarks.md). Given on the command line
// (`node --max-semi-space-size=32 bin/sil.js start`, as `npm start` and supervisors do), the hub
// is this one process. Otherwise this process re-runs Node with them and waits for that child,
// connected to it by an IPC channel: when this process ends, even by `kill -9`, the channel
// closes and the child shuts down, so no orphaned hub keeps holding the port.
import { readFileSync } from 'node:fs';
import { commandOf, nodeVersionProblem } from '../scripts/check-node.mjs';

const problem = nodeVersionProblem(process.version, commandOf(process.env, process.argv));
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
const hubFlags = process.argv[2] === 'start' ? JSON.parse(readFileSync(new URL('../server/runtime-flags.json', import.meta.url), 'utf8')).hub : [];
const missing = hubFlags.filter((f) => !process.execArgv.some((a) => a.split('=')[0] === f.split('=')[0]));
if (missing.length > 0) {
  const { spawn } = await import('node:child_process');
  const { constants } = await import('node:os');
  const child = spawn(process.execPath, [...process.execArgv, ...missing, ...process.argv.slice(1)], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  // Signals sent to this process go on to the hub (a terminal's Ctrl-C reaches both already).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    process.stderr.write(`sil: cannot run ${process.execPath}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
} else {
  // Run by a parent through an IPC channel (the launcher above, or a supervisor that forks):
  // when the parent goes, so does this process, cleanly (the SIGTERM path of `sil start`).
  if (process.channel) {
    process.channel.unref();
    process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  }
  const { main } = await import('../server/cli.ts');
  await main();
}
