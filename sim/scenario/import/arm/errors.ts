/** The one error an ARM import raises about its input: a problem at a position of a template or parameters file. */
import type { JsoncDocument } from './jsonc.js';

/** A problem in a template or parameters file, at a position of that file. */
export class TemplateError extends Error {
  constructor(
    readonly doc: JsoncDocument,
    readonly offset: number,
    message: string,
    readonly element?: string,
  ) {
    super(message);
  }
}
