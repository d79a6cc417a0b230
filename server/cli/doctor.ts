// `sil doctor`: checks a deployment and says what to fix.
import { resolveDataDir } from '../config/data-dir.ts';
import { SilError } from '../errors.ts';
import { DATA_OPTION, type Command } from './command.ts';

const USAGE = `Usage: sil doctor [--data DIR] [--url URL]

Checks a deployment and prints one line per check — ok, warn, FAIL (or skip) — with what to
fix; exits 1 when any check FAILs. Run it as the hub's user (sudo -u sil sil doctor ...), with
SIL_REDIS_PASSWORD set as the hub has it (e.g. sudo -u sil env $(cat /etc/sil/sil.env) ...).

  node          Node.js 24 (22.19 at least)           git           git 2.34 or later
  ownership     DIR and everything in it belong to the hub's user (not root)
  modes         DIR 0700, keys/ 0700, key files 0600, state and audit not world-readable
  age-identity  keys/age.key present, a recipient of .sops.yaml and of every secrets file
  signing-key   keys/signing present and private; main's signatures verify with it or
                security.allowedSigners
  hook          config.git/hooks/pre-receive installed, executable, its node and sil exist
  config        main is valid and every secrets file decrypts (as the hub loads it)
  owner         the owner account is set up
  hub           a hub runs on DIR (hub.lock), GET /healthz answers ok, the live commit is main
  listen        the hub is not on 0.0.0.0 / a public address without a reverse proxy
  clock         the clock against Redis TIME (with redis: in sil.yaml)
  redis         PING with SIL_REDIS_USERNAME / SIL_REDIS_PASSWORD (with redis:)
  remote        git ls-remote of remote.url, 15 s timeout (with remote: in sil.yaml)
  disk          free space under DIR

Options:
  -d, --data DIR   data directory (default ./data, or SIL_DATA)
      --url URL    the hub's address for /healthz (default: the URL in DIR/hub.lock), e.g.
                   https://sil.example.com to check through the reverse proxy`;

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check a deployment (permissions, keys, hook, config, hub, Redis, remote) and say what to fix',
  usage: USAGE,
  options: { ...DATA_OPTION, url: { type: 'string' } },
  async run(values, _p, io) {
    const url = values.url as string | undefined;
    if (url !== undefined && !/^https?:\/\/[^/\s#?]+\/?$/.test(url)) {
      throw new SilError('SIL_USAGE', `sil doctor: --url "${url}" is not an http(s) address like http://127.0.0.1:8080`, { hint: 'run `sil doctor --help`' });
    }
    const [{ runDoctor }, { formatCheck, summary }] = await Promise.all([import('../doctor/run-doctor.ts'), import('../doctor/check.ts')]);
    const dataDir = resolveDataDir(values.data as string | undefined, io.env);
    io.out(`sil doctor: ${dataDir}`);
    const results = await runDoctor({ dataDir, url, env: io.env });
    for (const r of results) io.out(formatCheck(r));
    const s = summary(results);
    io.out(s.line);
    return s.exitCode;
  },
};
