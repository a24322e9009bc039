/**
 * Terminal styling: ANSI colours only when stdout is a terminal and NO_COLOR is not set
 * (https://no-color.org), or when FORCE_COLOR asks for them; `--no-color` turns them off.
 */
export interface Style {
  readonly on: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

export function makeStyle(wantColor: boolean): Style {
  const wrap = (code: string) => (s: string) => (wantColor ? `\x1b[${code}m${s}\x1b[0m` : s);
  return {
    on: wantColor,
    bold: wrap('1'),
    dim: wrap('2'),
    red: wrap('31'),
    green: wrap('32'),
    yellow: wrap('33'),
    cyan: wrap('36'),
  };
}

/** Colour decision from the environment and the stream. */
export function colorWanted(stream: { isTTY?: boolean }, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  const env = process.env;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return stream.isTTY === true;
}
