import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A mistake in how a command was called: reported with exit status 2. */
export class UsageError extends Error {}

/** Parses a subcommand's arguments strictly; the parser's complaint (its first line) becomes a UsageError. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!);
  }
}
