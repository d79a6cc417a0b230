// The files of a new config repository's first commit.
import { readdirSync, readFileSync } from 'node:fs';
import { SCHEMA_DIR } from './schemas.ts';

/** The `$schema` line every config file starts with, relative to the file. */
export function schemaLine(path: string, schemaFile: string): string {
  const depth = path.split('/').length - 1;
  return `# yaml-language-server: $schema=${'../'.repeat(depth) || './'}.sil/schemas/${schemaFile}`;
}

export function initialSettings(): string {
  return `${schemaLine('sil.yaml', 'sil.schema.json')}
# Hub settings. Every change to this repository is validated before it goes live.
version: 1
name: sil
environments: [dev, prod]
defaults:
  keyRotationDays: 90
  keyRotationGraceDays: 7
  timeoutMs: 30000
security:
  requireSignedCommits: false
`;
}

export function sopsRules(recipients: string[]): string {
  return `# Creation rules for the sops CLI: \`sops secrets/<provider-id>.yaml\` encrypts to these age
# recipients (the hub's own key, then the owner's offline keys). Only the values under
# \`secret\` are encrypted; key metadata (status, dates, fingerprint) stays readable.
creation_rules:
  - path_regex: (^|/)secrets/[^/]+\\.(ya?ml|json)$
    encrypted_regex: ^secret$
    age: ${recipients.join(',')}
`;
}

export const LAYOUT_README = `# sil config repository

The source of truth of a sil hub. Every commit on \`main\` is validated; a valid one is live
within a second, an invalid one never goes live (the last good commit keeps serving and the error
shows on /healthz). Pushes are checked by a pre-receive hook and rejected with
\`path:line:column\` messages.

| path | what |
|---|---|
| \`sil.yaml\` | hub settings: environments, defaults, security, notification channels |
| \`.sops.yaml\` | age recipients for the \`sops\` CLI |
| \`providers/<id>.yaml\` | a provider: \`template: <catalog id>\` or an inline \`definition:\` |
| \`secrets/<provider-id>.yaml\` | that provider's keys, SOPS-encrypted |
| \`bindings/<name>.yaml\` | a service name callers use → ordered provider targets + failover |
| \`policies/<name>.yaml\` | rate limits, quotas, budgets, alert rules |
| \`clients/<name>.yaml\` | a service allowed to call the proxy (token hashes only) |
| \`webhooks/<name>.yaml\` | outgoing event subscriptions |
| \`.sil/schemas/\` | JSON Schemas for editors (the \`# yaml-language-server\` line of each file) |

Ids equal file names (\`providers/openai-main.yaml\` holds \`id: openai-main\`). JSON files
(\`.json\`) are accepted wherever YAML is. Check a clone before pushing with \`sil validate .\`.
`;

/** Copies of the JSON Schemas, so editors validate files in a clone of the repository. */
export function schemaFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(SCHEMA_DIR).filter((n) => n.endsWith('.schema.json'))) {
    out[`.sil/schemas/${f}`] = readFileSync(new URL(f, SCHEMA_DIR), 'utf8');
  }
  return out;
}
