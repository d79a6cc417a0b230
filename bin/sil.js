#!/usr/bin/env node
// The `sil` command. The CLI is TypeScript, run directly by Node (type stripping: on by default
// from Node 22.18 and 24; on 22.12 to 22.17 this re-runs itself with the flag). `sil start` also
// re-runs itself with the V8 settings the hub is tuned for (server/runtime-flags.json: a larger
// young generation, so that the short-lived objects of proxied requests die young instead of
// filling the old generation; see docs/benchmarks.md), unless they were given already.
import { readFileSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`sil needs Node.js 22.12 or later (24 LTS recommended); this is ${process.version}.\n`);
  process.exit(1);
}
const hubFlags = process.argv[2] === 'start' ? JSON.parse(readFileSync(new URL('../server/runtime-flags.json', import.meta.url), 'utf8')).hub : [];
const missing = hubFlags.filter((f) => !process.execArgv.some((a) => a.split('=')[0] === f.split('=')[0]));
const strip = process.features.typescript ? [] : ['--experimental-strip-types', '--no-warnings'];
if (missing.length > 0 || strip.length > 0) {
  const { spawn } = await import('node:child_process');
  const { constants } = await import('node:os');
  const child = spawn(process.execPath, [...process.execArgv, ...strip, ...missing, ...process.argv.slice(1)], { stdio: 'inherit' });
  // Signals sent to this process go on to the hub (a terminal's Ctrl-C reaches both already).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
} else {
  const { main } = await import('../server/cli.ts');
  await main();
}
