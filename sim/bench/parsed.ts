/**
 * What parsing a benchmark data file yields (data.ts, table-formats.ts): the entries, the
 * line each came from (for the results checksum), and every problem found.
 */

/** One problem in a data file: 1-based line and what is wrong. */
export interface DataError {
  readonly line: number;
  /** 1-based column where the problem starts, when one token is at fault. */
  readonly column?: number;
  readonly message: string;
}

/** Parsed entries plus, per entry, its 0-based line number (for the checksum). */
export interface Parsed<T> {
  readonly entries: T[];
  readonly lineOf: Int32Array;
  readonly errors: DataError[];
}
