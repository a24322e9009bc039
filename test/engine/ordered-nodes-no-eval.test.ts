import { afterEach, describe, it, vi } from 'vitest';
import { refuseEval } from '../support/refuse-eval.js';
import { checkOrderedOnRandomGraphs, checkUnorderedDiffer } from './ordered-nodes-cases.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ordered nodes where code cannot be made from text (the plain drain loop)', () => {
  it('see the packets of a batch in the order one packet at a time gives, on 300 random graphs', () => {
    refuseEval();
    checkOrderedOnRandomGraphs();
  });

  it('the same batches without ordered nodes give another order', () => {
    refuseEval();
    checkUnorderedDiffer();
  });
});
