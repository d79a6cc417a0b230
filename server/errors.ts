// The error catalog: every error sil reports has a stable code, an HTTP status, a message and a
// hint that says what to do. docs/errors.md lists them; test/unit/errors.test.ts keeps both in sync.

export interface ErrorSpec {
  status: number;
  message: string;
  hint: string;
  /** Safe to show to the caller as is. Internal errors are logged, not shown. */
  expose: boolean;
}

const spec = (status: number, message: string, hint: string, expose = true): ErrorSpec => ({ status, message, hint, expose });

export const ERRORS = {
  // Config files: what the validator reports (also as `path:line:column: message`).
  SIL_CONFIG_YAML: spec(400, 'The file is not valid YAML or JSON.', 'Fix the syntax at the line and column given; a YAML linter or `sil validate` shows the spot.'),
  SIL_CONFIG_DUPLICATE_KEY: spec(400, 'A key appears twice in one mapping.', 'Keep one of the two entries; YAML does not allow duplicate keys.'),
  SIL_CONFIG_ALIAS_LIMIT: spec(400, 'The file uses too many YAML aliases (an alias bomb?).', 'Write the values out instead of using anchors and aliases.'),
  SIL_CONFIG_TOO_LARGE: spec(413, 'The file is larger than sil accepts for a config file.', 'Config files are small; split the file or remove what does not belong in config.'),
  SIL_CONFIG_ENCODING: spec(400, 'The file is not valid UTF-8.', 'Save the file as UTF-8.'),
  SIL_CONFIG_NOT_MAPPING: spec(400, 'The document must be a mapping (key: value pairs) at the top level.', 'Start the file with the fields its schema names, e.g. `id:` and `name:`.'),
  SIL_CONFIG_SCHEMA: spec(400, 'The file does not match its schema.', 'See the schema named in the `# yaml-language-server: $schema=` line; an editor with the YAML extension shows the allowed fields.'),
  SIL_CONFIG_UNKNOWN_FIELD: spec(400, 'Unknown field.', 'Remove the field or fix its spelling; the schema lists the allowed fields.'),
  SIL_CONFIG_ID_MISMATCH: spec(400, 'The id or name in the file does not match the file name.', 'Rename the file to <id>.yaml or change the id so that both agree.'),
  SIL_CONFIG_DUPLICATE_ID: spec(400, 'Two files declare the same id.', 'Remove or rename one of them (e.g. openai.yaml and openai.json both declare `openai`).'),
  SIL_CONFIG_UNKNOWN_TEMPLATE: spec(400, 'The provider names a template that is not in the catalog.', 'Run `sil catalog` for the template ids, or write a custom provider with `definition:`.'),
  SIL_CONFIG_REFERENCE: spec(400, 'A reference points at something that does not exist.', 'Create the file it names or fix the name.'),
  SIL_CONFIG_ENVIRONMENT: spec(400, 'A reference crosses environments, or names an environment sil.yaml does not declare.', 'References stay inside one environment: use a target of the same environment, or declare the environment in sil.yaml.'),
  SIL_CONFIG_PROTOCOL: spec(400, 'A binding target does not speak the binding\'s protocol.', 'Pick a provider with a service of that protocol (or one sil adapts), or name the service with `service:`.'),
  SIL_CONFIG_TEMPLATE: spec(400, 'A provider definition is inconsistent.', 'Declare every ${connection.x} and ${secret.x} the definition uses under `connection:` or `credentials:`.'),
  SIL_CONFIG_FILE_PLACE: spec(400, 'The file is not where sil expects config files.', 'Config files are <folder>/<id>.yaml (or .json) directly inside providers/, secrets/, bindings/, policies/, clients/ or webhooks/.'),
  SIL_CONFIG_MISSING: spec(400, 'A required config file is missing.', 'Restore sil.yaml at the root of the repository (`sil init` writes a default one).'),
  SIL_CONFIG_LIMITS: spec(413, 'The repository holds more config than sil accepts.', 'Remove files that are not config, or raise the limit.'),
  SIL_CONFIG_PLAINTEXT_SECRET: spec(400, 'A secret is stored in plain text.', 'Keys belong encrypted in secrets/<provider-id>.yaml (`sil keys add`); rotate a key that was committed in clear: it stays in git history.'),
  SIL_CONFIG_INVALID: spec(422, 'The configuration is invalid; nothing was changed.', 'Fix each error listed with it (`sil` prints them one per line as path:line:column; the API answers them in `details.issues`) and try again.'),
  // Vault: SOPS files, identities, keys.
  SIL_VAULT_FORMAT: spec(400, 'The file is not a SOPS file sil can read.', 'Check the `sops:` block (version, mac, age recipients) and that every value in an encrypted place is an ENC[AES256_GCM,...] value.'),
  SIL_VAULT_UNSUPPORTED: spec(400, 'The SOPS file uses a feature sil does not support.', 'Re-encrypt it with age recipients only (no key groups / Shamir, no comment-regex rules): `sops updatekeys` or `sil secrets encrypt`.'),
  SIL_VAULT_IDENTITY: spec(400, 'None of the available age identities can open the file.', 'Add the hub\'s recipient (data/keys/age.key, `# public key:` line) to .sops.yaml and run `sops updatekeys FILE`, or pass the right --identity.'),
  SIL_VAULT_DECRYPT: spec(400, 'A value does not decrypt: wrong data key, moved to another place, or tampered with.', 'Restore the file from git history or re-enter the key with `sil keys update`.'),
  SIL_VAULT_MAC: spec(400, 'The file\'s MAC does not match its values: it was changed without sops or sil.', 'Restore the file from git history, or edit it with `sops` so the MAC is recomputed.'),
  // Auth schemes: credentials applied to outgoing requests.
  SIL_AUTH_UNSUPPORTED: spec(501, 'The auth scheme is not supported yet, or cannot be applied to this request.', 'Token-based and signing schemes go through prepareAuth; body auth needs a JSON object or an application/x-www-form-urlencoded body.'),
  SIL_AUTH_MISSING_SECRET: spec(500, 'The key lacks a credential the provider\'s auth scheme needs.', 'Add the credential named in the message to the key in secrets/<provider-id>.yaml (the template\'s `credentials:` lists them), or pick the auth option that key belongs to.'),
  SIL_AUTH_TOKEN: spec(502, 'The provider\'s token endpoint refused or failed the request for an access token.', 'The message gives the status and the provider\'s OAuth error (invalid_client: wrong client id or secret; invalid_scope; invalid_grant: a service-account key that is disabled or a clock that is off). Check the key\'s credentials and the template\'s token URL and scope; the next request asks again.'),
  SIL_KEY_NOT_FOUND: spec(404, 'No such key.', 'List the provider\'s keys with `sil keys list <provider>`.'),
  SIL_KEY_EXISTS: spec(409, 'A key with that id already exists.', 'Pick another id with --id, or update the existing key.'),
  SIL_KEY_STATE: spec(409, 'The key is not in a state that allows this.', 'See the key lifecycle in docs/vault.md: staged → active → retiring → revoked; suspended keys can be activated again.'),
  SIL_KEY_INPUT: spec(400, 'The secret given does not fit the provider\'s credential fields.', 'Pipe the secret on stdin: one value for single-field providers, or JSON / name=value lines naming each credential field.'),
  SIL_KEY_ROTATION_MANUAL: spec(409, 'The provider\'s template has no rotation recipe: its keys are rotated by hand.', 'Create the new key in the provider\'s console, then pipe it in: `printf %s "$NEW_KEY" | sil keys rotate <provider>`; revoke the old key at the provider when its grace period is over.'),
  SIL_KEY_PROVIDER: spec(502, 'The provider refused or failed a key rotation request (creating or revoking a key).', 'The message gives the status and an excerpt of the answer. Check that the current key may manage keys and the template\'s `rotation:` recipe; a key the provider created but sil could not store must be revoked at the provider by hand.'),
  SIL_VAULT_RECIPIENT: spec(400, 'The age recipient cannot be added or removed: malformed, already there, not there, or the hub\'s own.', 'Recipients look like age1 + 58 characters (`age-keygen -y KEYFILE`); `sil recipients list` shows the current ones. The hub\'s own recipient always stays.'),
  // Proxy.
  SIL_PROXY_UNAUTHENTICATED: spec(401, 'The request has no valid client token.', 'Send `Authorization: Bearer sil_...`; create a token with `sil tokens create <client>`.'),
  SIL_PROXY_FORBIDDEN: spec(403, 'This client may not make this request.', 'Add the binding to the client\'s `bindings:` in clients/<client>.yaml, or check its ipAllowlist.'),
  SIL_PROXY_UNKNOWN_BINDING: spec(404, 'No such binding for this client.', 'GET /v1/models lists the bindings this client may use.'),
  SIL_PROXY_BAD_REQUEST: spec(400, 'The request is not valid.', 'The unified API (/v1/...) takes the OpenAI request format, with `model` naming a binding (or binding/model); /bind/<binding>/<path> passes the provider\'s own format through.'),
  SIL_PROXY_BODY_INCOMPLETE: spec(408, 'The request body did not arrive in full.', 'The caller went away or sent too slowly: the whole request must arrive within 300 s (docs/network-limits.md); send the body at once.'),
  SIL_PROXY_TOO_LARGE: spec(413, 'The request body is too large.', 'Send less, or raise `defaults.maxBodyBytes` in sil.yaml.'),
  SIL_PROXY_NO_TARGET: spec(503, 'No target of the binding can take the request now.', 'The message says why each target was passed over (disabled, no usable key, circuit open); check the providers\' keys and state in the console.'),
  SIL_PROXY_TIMEOUT: spec(504, 'Every attempt timed out.', 'The providers did not answer in time (the x-sil-failover-reason header says which); try again, or raise failover.timeoutMs in the binding.'),
  SIL_PROXY_UPSTREAM: spec(502, 'Every attempt failed.', 'The x-sil-failover-reason header says why each attempt failed: the providers answered with errors, answered something unreadable, or did not answer in time.'),
  // Inbound provider webhooks at /hooks/<provider-id> (docs/inbound-webhooks.md).
  SIL_HOOK_UNKNOWN: spec(404, 'No provider with a webhook signature scheme has this id.', 'Give the provider the URL https://<hub>/hooks/<provider-id> of a provider in sil\'s config whose template declares `webhookSignature` (docs/inbound-webhooks.md lists them).'),
  SIL_HOOK_SIGNATURE: spec(401, 'The webhook signature is missing or does not verify.', 'Store the signing secret the provider shows for this endpoint in the provider\'s key (e.g. webhookSecret), and give the provider the exact URL it posts to; behind a proxy, list the proxy in security.trustedProxies so the URL the provider signed is rebuilt (docs/inbound-webhooks.md).'),
  SIL_HOOK_STALE: spec(400, 'The webhook\'s signed timestamp is outside the tolerance window.', 'The event is too old or dated in the future (default 300 s, `toleranceSeconds` of the template): check the hub\'s clock; the provider retries with a fresh signature.'),
  SIL_SYNC_NOT_CONFIGURED: spec(404, 'This hub follows no remote config repository, or has no trigger secret.', 'Add a `remote:` block to sil.yaml and set SIL_SYNC_SECRET in the hub\'s environment (docs/remote-sync.md).'),
  SIL_SYNC_SIGNATURE: spec(401, 'The sync trigger\'s signature does not match.', 'Sign the request body with the hub\'s SIL_SYNC_SECRET: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>` (GitHub, Gitea, Forgejo) or send it as `X-Gitlab-Token` (GitLab).'),
  SIL_HOOK_REPLAY: spec(409, 'This webhook event was already accepted.', 'A replayed delivery (same event id or signature) is refused; nothing to do when the provider retried an event the hub had accepted.'),
  SIL_HOOK_NOT_CONFIGURED: spec(503, 'The provider has no key holding the webhook\'s secret or public key.', 'Add the credential the template\'s webhookSignature names (e.g. `sil keys add <provider>` with webhookSecret) or the connection value it names (webhookPublicKey, webhookId).'),
  // Limits: policies (policies/<name>.yaml) attached to clients, bindings and providers (docs/limits.md).
  SIL_LIMIT_RATE: spec(429, 'A rate limit of a policy is reached.', 'Wait for the time Retry-After gives (the x-ratelimit-* headers show the limit and when it resets), send fewer requests per period, or raise `rateLimit` in the policy the message names.'),
  SIL_LIMIT_QUOTA_REQUESTS: spec(429, 'The request quota of a policy for this period is used up.', 'The quota renews when the period (day or month, in sil.yaml\'s timeZone) ends, which Retry-After gives; raise `quota.requests` in the policy the message names to allow more.'),
  SIL_LIMIT_QUOTA_TOKENS: spec(429, 'The token quota of a policy for this period is used up, or this request could use more tokens than are left.', 'Ask for fewer tokens (`max_tokens`) or wait until the period renews (Retry-After); raise `quota.tokens` in the policy the message names to allow more.'),
  SIL_LIMIT_BUDGET: spec(429, 'The cost budget of a policy for this period is spent, and the policy blocks requests past it.', 'The budget renews when the period ends (Retry-After); raise `budget.amount` or set `budget.onExceeded: alert` in the policy the message names to go on past it.'),
  SIL_LIMIT_STORE_UNAVAILABLE: spec(503, 'The shared counter store (Redis) cannot be reached, and the policy refuses requests it cannot count.', 'Bring Redis back (`sil doctor` checks it), or set `failMode: local` (count in each instance) or `failMode: open` in the policy the message names; Retry-After says when to try again.'),
  // Analytics, feedback and metrics (docs/analytics.md, docs/metrics.md).
  SIL_ANALYTICS_QUERY: spec(400, 'The analytics query is not valid.', 'Give period=1h, 24h, 7d or 30d, or period=custom with from and to as ISO 8601 times (from before to, at most 2 years back); the message names the parameter.'),
  SIL_FEEDBACK_UNKNOWN_REQUEST: spec(404, 'No recent request of this client has that id.', 'Send the x-sil-request-id header of an answer this client received in the last 24 hours, as `{"request_id": "...", "score": 0..1}`.'),
  SIL_FEEDBACK_INVALID: spec(400, 'The feedback is not valid.', 'Send a JSON object `{"request_id": "<x-sil-request-id>", "score": <number from 0 to 1>}`.'),
  SIL_METRICS_FORBIDDEN: spec(403, 'This address may not read the metrics.', 'Scrape from an address in sil.yaml `metrics.allowlist`, or send `Authorization: Bearer <token>` whose SHA-256 is `metrics.scrapeTokenSha256` (docs/metrics.md).'),
  // Git store and writer.
  SIL_GIT_CONFLICT: spec(409, 'The config changed since your edit started: a file you touched was changed by someone else.', 'Reload, look at the new version, and apply your change again.'),
  SIL_GIT_REF_MOVED: spec(409, 'The branch moved while the commit was being written.', 'Try again; nothing was written.'),
  SIL_GIT_NOT_FOUND: spec(404, 'The commit or revision does not exist in the config repository.', 'Check the revision with `git log` in a clone of data/config.git.'),
  SIL_GIT_NATIVE: spec(500, 'The git command failed.', 'Check that git (2.34 or later) is installed and that the data directory is writable.', false),
  SIL_COMMIT_SIGNATURE: spec(403, 'The commit is not signed by an allowed signer, and sil.yaml requires signed commits (security.requireSignedCommits).', 'Sign with an SSH key listed in security.allowedSigners (`git config gpg.format ssh`, `git config user.signingKey ~/.ssh/id_ed25519.pub`, `git commit -S`), or make the change with the console or the sil CLI, which sign with the hub\'s key. See docs/security.md.'),
  SIL_SIGNING_KEY: spec(500, 'The hub\'s commit signing key (data/keys/signing) cannot be used.', 'The file must be an unencrypted OpenSSH Ed25519 private key readable only by its owner (`chmod 600 data/keys/signing`). To start over, move it away: sil creates a new one, whose line (`sil signing allowed-signers`) must then replace the old one in allowed-signers files.', false),
  // History and import/export bundles (docs/history-and-bundles.md).
  SIL_HISTORY_COMMIT_ID: spec(400, 'That is not a full commit id.', 'Give the 40-character hex id that GET /api/history lists.'),
  SIL_HISTORY_REVERT: spec(409, 'The commit cannot be reverted.', 'See the message: the first commit cannot be reverted, a commit whose changes are already undone has nothing to revert, and the commit must be in the history of the base sent (reload the history).'),
  SIL_BUNDLE_FORMAT: spec(400, 'The body is not a sil bundle.', 'Send what GET /api/export produced: a YAML or JSON document with `sil: 1` and `files:` mapping each path to the file\'s text (or its content as a mapping).'),
  SIL_BUNDLE_TOO_LARGE: spec(413, 'The bundle is larger than sil accepts (10 MiB).', 'Import the config in parts: export with `include=` a few folders at a time, and import each bundle with mode=merge.'),
  SIL_BUNDLE_PATH: spec(400, 'The bundle names a file sil does not import.', 'Bundles hold sil.yaml and <folder>/<id>.yaml (.yml, .json) inside providers/, secrets/, bindings/, policies/, clients/ or webhooks/: no other folders, no ../, no absolute paths.'),
  SIL_BUNDLE_PLAINTEXT_SECRET: spec(400, 'A secrets file in the bundle is not SOPS-encrypted: sil never imports plaintext secrets.', 'Export secrets with secrets=encrypted, or encrypt the file first (`sops --encrypt`); add keys one by one with `sil keys add` (reads stdin).'),
  // Clients and their tokens.
  SIL_CLIENT_NAME: spec(400, 'The client name is not valid.', 'Use 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit (the file is clients/<name>.yaml).'),
  SIL_CLIENT_NOT_FOUND: spec(404, 'The client does not exist.', 'List the clients with `git ls-tree --name-only main clients/` in the config repository; `sil tokens create <client>` creates one.'),
  SIL_CLIENT_TOKEN_NOT_FOUND: spec(404, 'The client has no token with that id.', 'Run `sil tokens list <client>` for its token ids.'),
  // Owner login and the console/API defences (docs/security.md).
  SIL_SESSION_REQUIRED: spec(401, 'Sign in first: this route needs the owner\'s session.', 'Sign in at the console (POST /api/login); a session ends after security.sessionIdleMinutes idle or security.sessionMaxHours in all.'),
  SIL_LOGIN_FAILED: spec(401, 'Wrong password or authenticator code.', 'Check the password and enter the current 6-digit code of the authenticator app (each code works once). Lost the password or the authenticator? Run `sil owner reset` on the server.'),
  SIL_LOGIN_THROTTLED: spec(429, 'Too many login attempts in a short time.', 'Wait the number of seconds in the Retry-After header and try again.'),
  SIL_LOGIN_LOCKED: spec(429, 'Login is locked for a while after repeated failures.', 'Wait until the lock ends (Retry-After header, in seconds); correct passwords are refused until then. Not you? Someone is guessing: restrict security.consoleIpAllowlist.'),
  SIL_SETUP_TOKEN: spec(403, 'The setup link is invalid, expired or already used.', 'Use the latest link `sil start` printed; run `sil owner reset` on the server for a new one.'),
  SIL_SETUP_DONE: spec(409, 'The owner account is already set up.', 'Sign in instead; to start over, run `sil owner reset` on the server.'),
  SIL_SETUP_NEEDED: spec(409, 'No owner account exists yet.', 'Open the one-time setup link `sil start` printed (or run `sil owner reset` for a new one).'),
  SIL_PASSWORD_WEAK: spec(400, 'The password is not acceptable.', 'Use 12 to 1024 characters; a passphrase of several words is easy to type and hard to guess.'),
  SIL_CSRF: spec(403, 'The request lacks the CSRF defence, or comes from another site.', 'Send the csrfToken of GET /api/session in an x-sil-csrf header, from a page of this hub.'),
  SIL_IP_FORBIDDEN: spec(403, 'Your address may not use the console or API.', 'Connect from an address in sil.yaml security.consoleIpAllowlist; behind a reverse proxy, list the proxy in security.trustedProxies.'),
  SIL_BODY_TOO_LARGE: spec(413, 'The request body is too large.', 'API request bodies are small JSON documents; send less.'),
  SIL_BODY_INVALID: spec(400, 'The request body is not valid JSON.', 'Send one JSON document, UTF-8 encoded.'),
  SIL_BODY_MEDIA_TYPE: spec(415, 'The request body is not JSON.', 'Send the body with Content-Type: application/json.'),
  SIL_BASE_URL_FORBIDDEN: spec(400, 'The provider base URL points at a link-local or cloud metadata address, or at a host name that leads there (metadata.google.internal, 169-254-169-254.sslip.io).', 'Use the provider\'s public address or host name; if the provider really lives there, set security.allowPrivateBaseUrls: true in sil.yaml.'),
  SIL_NAME_INVALID: spec(400, 'The id or file name is not allowed.', 'Use letters, digits, dots, hyphens and underscores only; no slashes, no leading dot.'),
  // Runtime audit log (docs/security.md).
  SIL_AUDIT_EVENT: spec(500, 'The audit event was refused: unknown type, malformed actor, or a detail that is nested, too large or names a secret.', 'Emit a type from AUDIT_EVENT_TYPES with flat string/number/boolean details; secrets never go into the audit log.', false),
  // Admin API (docs/api.md).
  SIL_API_NOT_FOUND: spec(404, 'No such resource.', 'List the resource (e.g. GET /api/providers) for what exists at the live commit.'),
  SIL_API_EXISTS: spec(409, 'A resource with that id or name already exists.', 'Pick another id, or edit the existing one with PUT or PATCH.'),
  SIL_API_INPUT: spec(400, 'The request does not fit this route.', 'See GET /api/openapi.json (and docs/api.md) for the fields this route takes.'),
  SIL_API_ID: spec(400, 'The id or name is not valid.', 'Ids and names are 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit; they are also file names.'),
  SIL_BASE_REQUIRED: spec(428, 'A change must name the commit it was based on.', 'Send the `commit` of the GET answer you edited as `base` in the JSON body, or in an If-Match header.'),
  SIL_BASE_INVALID: spec(400, 'The base is not a commit of the config repository.', 'Send the `commit` value of a recent GET answer (40 hexadecimal digits).'),
  SIL_METHOD_NOT_ALLOWED: spec(405, 'This route does not take that method.', 'The Allow header lists the methods it takes; GET /api/openapi.json describes every route.'),
  // CLI and server.
  SIL_USAGE: spec(400, 'The command line is not valid.', 'Run the command with --help for its usage.'),
  SIL_DATA_DIR: spec(500, 'The data directory cannot be used.', 'Check that the directory exists and is writable, or pass another one with --data.'),
  SIL_BACKUP_ARCHIVE: spec(400, 'The backup archive cannot be restored: it is not a sil backup, or it is damaged or was changed after it was written.', 'Take another copy of the archive (the off-site one) and check it arrived whole; `sil restore` writes nothing from an archive it refuses.'),
  SIL_LISTEN: spec(500, 'The hub cannot listen on the address it was given.', 'Another process may use the port: pass --port (or SIL_PORT), or --host for another address.'),
  SIL_NOT_FOUND: spec(404, 'No such route.', 'See the README for the endpoints sil serves.'),
  SIL_INTERNAL: spec(500, 'Internal error.', 'See the server log for details.', false),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export class SilError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly hint: string;
  readonly expose: boolean;
  readonly details?: unknown;

  constructor(code: ErrorCode, message?: string, options: { hint?: string; details?: unknown; cause?: unknown } = {}) {
    const s = ERRORS[code];
    super(message ?? s.message, { cause: options.cause });
    this.name = 'SilError';
    this.code = code;
    this.status = s.status;
    this.hint = options.hint ?? s.hint;
    this.expose = s.expose;
    this.details = options.details;
  }

  /** What may be shown to a caller: internal errors say only that something failed. */
  toJSON(): { code: ErrorCode; message: string; hint: string; details?: unknown } {
    if (!this.expose) return { code: 'SIL_INTERNAL', message: ERRORS.SIL_INTERNAL.message, hint: ERRORS.SIL_INTERNAL.hint };
    return { code: this.code, message: this.message, hint: this.hint, ...(this.details === undefined ? {} : { details: this.details }) };
  }
}
