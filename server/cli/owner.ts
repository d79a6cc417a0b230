// `sil owner reset|status`: the recovery path of the owner account. Whoever can run commands on
// the data directory is the owner; no password is asked.
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { SilError } from '../errors.ts';
import { DATA_OPTION, type Command } from './command.ts';
import { gitdirOf } from './repo-context.ts';

const USAGE = `Usage: sil owner reset [--url URL] [--data DIR]
       sil owner status [--data DIR]

The owner account of the console: a password (Argon2id) and an authenticator app (TOTP).

  reset    remove the owner account and end every session, then print a new one-time setup
           link (valid 24 hours) to set a new password and authenticator. Use it when the
           password or the authenticator is lost. A running hub notices at once; a login lock
           of the running hub ends with its time or a restart.
  status   whether an owner exists, since when, and whether a setup link is pending

Options:
      --url URL     reset: the hub's address as the browser reaches it (e.g.
                    http://127.0.0.1:8080), to print the whole link instead of its path
  -d, --data DIR    data directory (default ./data, or SIL_DATA)`;

const SUBCOMMANDS: Record<string, string[]> = { reset: ['url', 'data'], status: ['data'] };

const usage = (message: string) => new SilError('SIL_USAGE', `sil owner: ${message}`, { hint: 'run `sil owner --help`' });

export const ownerCommand: Command = {
  name: 'owner',
  summary: 'reset the owner account (lost password or authenticator), show its status',
  usage: USAGE,
  options: { ...DATA_OPTION, url: { type: 'string' } },
  maxPositionals: 1,
  async run(values, positionals, io) {
    const [sub] = positionals;
    if (!sub) throw usage('missing subcommand (reset or status)');
    if (!Object.hasOwn(SUBCOMMANDS, sub)) throw usage(`unknown subcommand "${sub}" (reset or status)`);
    for (const key of Object.keys(values)) {
      if (key !== 'help' && values[key] !== undefined && !SUBCOMMANDS[sub].includes(key)) throw usage(`${sub} does not take --${key}`);
    }
    const url = values.url as string | undefined;
    if (url !== undefined && !/^https?:\/\/[^/\s#?]+\/?$/.test(url)) throw usage(`--url "${url}" is not an http(s) address like http://127.0.0.1:8080`);

    const { dataDir } = await gitdirOf(values, io);
    const stateDir = join(dataDir, 'state');
    const [{ OwnerStore }, { SessionStore }, { setupLink, setupPath }, { THROTTLE_FILE }] = await Promise.all([
      import('../api/owner/owner-store.ts'),
      import('../api/owner/session-store.ts'),
      import('../api/owner/setup-link.ts'),
      import('../api/owner/throttle-guard.ts'),
    ]);
    const owners = new OwnerStore(stateDir);

    if (sub === 'status') {
      const file = await owners.read();
      if (file.owner) io.out(`owner: set up ${file.owner.createdAt} (password and authenticator; last change ${file.owner.updatedAt})`);
      else io.out('owner: none yet');
      if (file.setup) {
        const expired = Date.parse(file.setup.expiresAt) <= Date.now();
        io.out(`setup link: issued ${file.setup.createdAt}, ${expired ? 'expired' : 'valid until'} ${file.setup.expiresAt}`);
      } else if (!file.owner) {
        io.out('setup link: none (`sil start` or `sil owner reset` issues one)');
      }
      return 0;
    }

    // reset
    const { hadOwner } = await owners.reset();
    await new SessionStore({ stateDir }).clear();
    await rm(join(stateDir, THROTTLE_FILE), { force: true });
    const token = await owners.issueSetupToken(new Date());
    io.out(hadOwner ? 'owner account removed; every session ended.' : 'there was no owner account yet.');
    if (url) {
      io.out('Open this one-time link (valid 24 hours) to set a new password and authenticator:');
      io.out(`  ${setupLink(url, token)}`);
    } else {
      io.out('Open this path on the hub (valid 24 hours) to set a new password and authenticator:');
      io.out(`  ${setupPath(token)}`);
      io.out('after the hub\'s address as `sil start` printed it (e.g. http://127.0.0.1:8080/setup#...); --url prints the whole link.');
    }
    io.out('The link works once; run `sil owner reset` again for a new one.');
    return 0;
  },
};
