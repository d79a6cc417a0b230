// Is this Node.js new enough for sil? Plain JavaScript (no TypeScript, no dependencies) so that
// an older Node can run it and say what to do in one line, instead of failing further on with
// ERR_UNKNOWN_FILE_EXTENSION ".ts" or a crash inside a dependency.
//
//   node scripts/check-node.mjs      exit 0 when fine; else one line on stderr and exit 1
//
// package.json runs it before `npm install` (preinstall) and `npm test` (pretest); bin/sil.js
// imports it, so `npm start`, `npx sil` and `node bin/sil.js` say the same.
//
// The minimum is 22.19: undici 8 (the proxy's HTTP client) needs it (on 22.12 the hub crashes
// at start-up inside undici), and from 22.18 Node runs .ts files without a flag. Node 23 is
// left out: it reached its end of life, and 23.0 to 23.7 lack one or the other.
import { fileURLToPath } from 'node:url';

/** package.json `engines.node`; a test keeps the two in sync. */
export const ENGINES = '^22.19.0 || >=24.0.0';
export const NEEDED = '22.19 or later (24 LTS recommended)';

/** Whether a version (`v24.1.0` or `24.1.0`) is in ENGINES. */
export function nodeVersionOk(version) {
  const [major, minor] = String(version).replace(/^v/, '').split('.').map(Number);
  return major >= 24 || (major === 22 && minor >= 19);
}

/** The command the user ran, as they can type it again: from npm's environment, else argv. */
export function commandOf(env, argv) {
  const npmCommand = env.npm_command;
  if (['install', 'ci', 'test', 'start'].includes(npmCommand)) return `npm ${npmCommand}`;
  if ((npmCommand === 'run' || npmCommand === 'run-script') && env.npm_lifecycle_event) return `npm run ${env.npm_lifecycle_event}`;
  return ['node', ...argv.slice(1)].join(' ');
}

/** The one line to print when `version` is too old, or null when it is fine. */
export function nodeVersionProblem(version, command) {
  if (nodeVersionOk(version)) return null;
  return `sil needs Node.js ${NEEDED}; this is ${version}. Run it with Node 24 from the npm registry: npx -y -p node@24 -- ${command}   (or install Node 24 LTS and run it again)`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problem = nodeVersionProblem(process.version, commandOf(process.env, process.argv));
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}
