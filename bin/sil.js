#!/usr/bin/env node
// The `sil` command. The CLI is TypeScript, run directly by Node (type stripping): on by
// default from Node 22.18 and 24; on 22.12 to 22.17 this re-runs itself with the flag.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`sil needs Node.js 22.12 or later (24 LTS recommended); this is ${process.version}.\n`);
  process.exit(1);
}
if (!process.features.typescript) {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { main } = await import('../server/cli.ts');
await main();
