// The `sil` command line.
import { SilError } from './errors.ts';
import { parseCommandArgs, type Command, type Io } from './cli/command.ts';
import { errorLines } from './cli/error-lines.ts';
import { startCommand } from './cli/start.ts';
import { initCommand } from './cli/init.ts';
import { validateCommand } from './cli/validate.ts';
import { catalogCommand } from './cli/catalog.ts';
import { hookCommand } from './cli/hook.ts';
import { keysCommand } from './cli/keys.ts';
import { recipientsCommand } from './cli/recipients.ts';
import { secretsCommand } from './cli/secrets.ts';
import { tokensCommand } from './cli/tokens.ts';
import { auditCommand } from './cli/audit.ts';
import { signingCommand } from './cli/signing.ts';
import { ownerCommand } from './cli/owner.ts';
import { mockCommand } from './cli/mock.ts';
import { backupCommand } from './cli/backup.ts';
import { restoreCommand } from './cli/restore.ts';
import { doctorCommand } from './cli/doctor.ts';

export const COMMANDS: readonly Command[] = [startCommand, initCommand, validateCommand, catalogCommand, keysCommand, recipientsCommand, secretsCommand, tokensCommand, signingCommand, ownerCommand, auditCommand, backupCommand, restoreCommand, doctorCommand, mockCommand, hookCommand];

function overview(): string {
  const shown = COMMANDS.filter((c) => !c.hidden);
  const width = Math.max(...shown.map((c) => c.name.length));
  return `sil — the Service Integration Layer

Usage: sil <command> [options]

Commands:
${shown.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`sil <command> --help\` for a command's options.`;
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const cmd = COMMANDS.find((c) => c.name === rest[0]);
    io.out(cmd ? cmd.usage : overview());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  try {
    if (!cmd) throw new SilError('SIL_USAGE', `unknown command "${name}"`, { hint: 'run `sil --help` for the commands' });
    const { values, positionals } = parseCommandArgs(cmd, rest);
    if (values.help) {
      io.out(cmd.usage);
      return 0;
    }
    return await cmd.run(values, positionals, io);
  } catch (err) {
    for (const line of errorLines(err)) io.err(line);
    return err instanceof SilError && err.code === 'SIL_USAGE' ? 2 : 1;
  }
}

/** Runs `sil` with the process's arguments and streams (bin/sil.js calls this). */
export async function main(): Promise<void> {
  // `sil catalog | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0); });
  const io: Io = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stdin: process.stdin,
    env: process.env,
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
