// The shape of a `sil` subcommand and the shared argument parsing.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { SilError } from '../errors.ts';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: ParseArgsOptionsConfig;
  /** Resolves to the exit code. */
  run(values: Record<string, string | boolean | string[] | undefined>, positionals: string[], io: Io): Promise<number>;
  hidden?: boolean;
  maxPositionals?: number;
}

export const DATA_OPTION = { data: { type: 'string', short: 'd' } } as const satisfies ParseArgsOptionsConfig;

export function parseCommandArgs(cmd: Command, argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new SilError('SIL_USAGE', `sil ${cmd.name}: ${(err as Error).message}`, { hint: `run \`sil ${cmd.name} --help\`` });
  }
  if (!parsed.values.help && parsed.positionals.length > (cmd.maxPositionals ?? 0)) {
    throw new SilError('SIL_USAGE', `sil ${cmd.name}: unexpected argument "${parsed.positionals[cmd.maxPositionals ?? 0]}"`, { hint: `run \`sil ${cmd.name} --help\`` });
  }
  return parsed;
}
