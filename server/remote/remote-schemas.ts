// The OpenAPI schema of GET /api/remote (RemoteStatus in remote-sync.ts; docs/remote-sync.md).
// api-schemas.ts spreads it into the document's components.
type Schema = Record<string, unknown>;

const nullable = (type: string, description: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], description, ...extra });
const COMMIT = '^[0-9a-f]{40}([0-9a-f]{24})?$';

export function remoteSchemas(): Record<string, Schema> {
  const at = { type: 'string', format: 'date-time' };
  return {
    RemoteStatus: {
      type: 'object',
      description: 'The remote config repository this hub follows (sil.yaml `remote:`) and how far it is in step. Without `remote:` every field is null (diverged false, trigger false).',
      properties: {
        url: nullable('string', 'The remote, without any user information.'),
        branch: nullable('string', 'The remote branch followed.'),
        push: nullable('boolean', 'Whether commits made here are pushed.'),
        pullIntervalSeconds: nullable('integer', 'How often the remote is fetched (±10 %).'),
        trigger: { type: 'boolean', description: 'Whether POST /sync/trigger is open (a remote is followed and SIL_SYNC_SECRET is set).' },
        lastFetch: {
          type: ['object', 'null'], description: 'The last successful fetch: when, and the remote branch\'s commit (null: the remote has no such branch yet).',
          properties: { at, commit: nullable('string', 'The fetched commit.', { pattern: COMMIT }) }, required: ['at', 'commit'],
        },
        lastPush: {
          type: ['object', 'null'], description: 'The last push made by this hub since it started.',
          properties: { at, commit: { type: 'string', pattern: COMMIT } }, required: ['at', 'commit'],
        },
        ahead: nullable('integer', 'Commits of main that the remote branch lacks (null before the first fetch).'),
        behind: nullable('integer', 'Commits of the remote branch that main lacks.'),
        diverged: { type: 'boolean', description: 'Both sides have commits the other lacks: nothing is pulled or pushed, the remote-sync alert is critical.' },
        error: {
          type: ['object', 'null'], description: 'The last sync\'s failure (cleared by a sync that succeeds).',
          properties: { at, message: { type: 'string' }, failures: { type: 'integer', description: 'Failed syncs in a row.' } }, required: ['at', 'message', 'failures'],
        },
      },
      required: ['url', 'branch', 'push', 'pullIntervalSeconds', 'trigger', 'lastFetch', 'lastPush', 'ahead', 'behind', 'diverged', 'error'],
      additionalProperties: false,
    },
  };
}
