// Writes docs/errors.md from the error catalog (server/errors.ts). `--check` exits 1 when stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERRORS } from '../server/errors.ts';

export const ERRORS_DOC = fileURLToPath(new URL('../docs/errors.md', import.meta.url));

export function errorDocs(): string {
  const rows = Object.entries(ERRORS).map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.message.replaceAll('|', '\\|')} | ${e.hint.replaceAll('|', '\\|')} | ${e.expose ? 'yes' : 'no'} |`);
  return `# Error catalog

Every error sil reports carries a stable code. Scripts and tests may rely on codes; messages may
be reworded. HTTP answers have the shape \`{"error": {"code", "message", "hint", "details"?}}\`;
config problems print as \`path:line:column: message [CODE] hint: ...\`. "Shown" says whether the
message is safe to show to a caller; internal errors answer \`SIL_INTERNAL\` and go to the log.
The CLI exits 2 on \`SIL_USAGE\` and 1 on any other error.

Generated from server/errors.ts by \`node scripts/gen-error-docs.ts\`; a test fails when this page
is stale.

| code | status | message | hint | shown |
|---|---|---|---|---|
${rows.join('\n')}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--check')) {
    if (readFileSync(ERRORS_DOC, 'utf8') !== errorDocs()) {
      console.error('docs/errors.md is stale: run `node scripts/gen-error-docs.ts`.');
      process.exit(1);
    }
  } else {
    writeFileSync(ERRORS_DOC, errorDocs());
    console.log(`wrote ${ERRORS_DOC}`);
  }
}
