// Before `sil start` serves: the owner console (admin/dist) is built when it is missing or older
// than its sources and this installation can build it (a clone or an npm install has Astro), as
// `npm start`, `node bin/sil.js start` and `npx sil start` all come through here. When it cannot
// be built, one line says how, and the caller prints no setup link that would open nothing.
import type { Io } from './command.ts';

export async function prepareConsole(io: Io): Promise<{ built: boolean }> {
  const build = await import('../../scripts/build-console.ts');
  const tooling = build.buildToolingProblem();
  let failure: string | undefined;
  if (!tooling && build.consoleIsStale()) {
    io.err(`console: building admin/dist (${build.consoleIsBuilt() ? 'older than admin/src' : 'first start'}; a few seconds)`);
    const started = Date.now();
    try {
      if (build.ensureConsoleBuilt({ quiet: true })) io.err(`console: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      failure = (err as Error).message;
      io.err(`console: ${failure}`);
    }
  }
  if (build.consoleIsBuilt()) {
    if (failure) io.err('console: serving the previous build of admin/dist');
    return { built: true };
  }
  const why = tooling ?? (failure ? 'the build failed' : 'admin/dist is missing');
  io.err(`console: not built (${why}): run \`npm run build:console\` in ${build.ROOT.replace(/\/$/, '')}, then start again; until then the hub serves the API and the proxy only`);
  return { built: false };
}
