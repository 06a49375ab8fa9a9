/**
 * Text on its way to a terminal. Titles, quotes, notes and file names come from files, and a file
 * can hold anything: ESC starts a terminal control sequence (a title could retitle the window,
 * move the cursor, or hide the lines around it), BEL rings, C1 characters are 8-bit control
 * sequences in some terminals, and the bidi embedding, override and isolate characters
 * (U+202A–202E, U+2066–2069) reorder what follows them on the line. The CLI shows every such
 * character as `\uXXXX`; tab and newline stay as they are. Only what is printed changes: the
 * library keeps the text as the file had it, and `--json` keeps it too (as JSON `\u` escapes,
 * which read back as the same characters).
 *
 * The CLI itself wraps titles and quotes in isolates (FSI … PDI) so that a Hebrew title does not
 * pull the row's columns around: that matters only on a terminal, so a pipe or a file gets none.
 */

/** Characters shown escaped: C0 but tab and newline, DEL, C1, bidi embeddings/overrides and isolates. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
/** The same less the isolates, which a line may hold because the CLI put them there. */
const UNSAFE_BUT_ISOLATES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/gu;
/** What a JSON string may still hold raw after JSON.stringify (which escapes C0 itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text from a file, with every control and bidi-control character shown as `\uXXXX`. */
export function cleanForTerminal(s: string): string {
  return s.replace(UNSAFE, hex);
}

/**
 * A whole output line: the last guard before the terminal. Control characters are escaped; the
 * isolates are left, since the CLI's own are there on purpose (text from files reaches a line
 * through `isolate` or `cleanForTerminal`, which escape any it holds).
 */
export function cleanLine(line: string): string {
  return line.replace(UNSAFE_BUT_ISOLATES, hex);
}

/** JSON for printing: the same value when parsed, with no raw C1 or bidi-control character. */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, hex);
}

const OPEN = { auto: '\u2068', rtl: '\u2067', ltr: '\u2066' } as const;
const PDI = '\u2069';

export type IsolateDirection = keyof typeof OPEN;

/** Whether a stream is a terminal (a pipe, a file, or a test's stream is not). */
export function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as NodeJS.WriteStream).isTTY === true;
}

/**
 * Text from a file as one cell of a line: escaped, and on a terminal isolated in its own
 * direction (FSI by default, RLI or LRI when the direction is known).
 */
export function isolateFor(terminal: boolean, text: string, dir: IsolateDirection = 'auto'): string {
  const clean = cleanForTerminal(text);
  return terminal ? `${OPEN[dir]}${clean}${PDI}` : clean;
}

/**
 * Text from a file (a title, a quote, a note) as one cell of a command's output line: control and
 * bidi characters escaped, and, when the command's stdout is a terminal, isolated in its direction
 * so that it cannot pull the line's columns around. Every printed value from a file goes through
 * this (or `cleanForTerminal`).
 */
export function isolate(ctx: { stdout: NodeJS.WritableStream }, text: string, dir: IsolateDirection = 'auto'): string {
  return isolateFor(isTerminal(ctx.stdout), text, dir);
}
