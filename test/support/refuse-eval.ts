import { vi } from 'vitest';

/**
 * Make this realm refuse code from text, as a browser page whose Content-Security-Policy
 * forbids eval: `new Function` throws an EvalError. Undo with `vi.unstubAllGlobals()`.
 * A test file that uses it should stand alone: the code that makes functions from text
 * remembers a refusal for the module's life.
 */
export function refuseEval(): void {
  const refusing = function (): never {
    throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed");
  };
  vi.stubGlobal('Function', refusing);
}
