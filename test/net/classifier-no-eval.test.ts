import { afterEach, describe, expect, it, vi } from 'vitest';
import { SelectorClassifier } from '../../sim/net/classifier.js';
import { buildSplit } from '../../sim/net/classifier-split.js';
import { splitBatchLoop } from '../../sim/net/classifier-split-batch.js';
import { selectorColumns } from '../../sim/net/classifier.js';
import { referenceClassify } from '../../sim/net/classifier-reference.js';
import { selectorProbes, workloadSelectors } from '../../sim/bench/workloads.js';
import { refuseEval } from '../support/refuse-eval.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('SelectorClassifier where code cannot be made from text', () => {
  it('split falls back to its plain batch loop and still agrees with the reference', () => {
    const sels = workloadSelectors('private-pools', 7, 3000);
    const { src, dst } = selectorProbes(7, sels, 1001, 0.8);
    refuseEval();
    const c = SelectorClassifier.compile(sels, { strategy: 'split', splitBucketMax: 2 });
    const c2 = selectorColumns(sels);
    expect(splitBatchLoop(buildSplit(c2.sa, c2.sl, c2.da, c2.dl, {}))).toBeNull();
    vi.unstubAllGlobals();
    expect([c.strategy, c.batchLoop]).toEqual(['split', 'plain']);
    const out = new Int32Array(src.length);
    c.classifyBatch(src, dst, out, src.length);
    for (let i = 0; i < src.length; i++) {
      const want = referenceClassify(sels, src[i]!, dst[i]!);
      if (out[i] !== want) expect({ i, got: out[i] }).toEqual({ i, got: want });
    }
  });

  it('classes falls back to its plain batch loop and still agrees with the reference', () => {
    const sels = workloadSelectors('private-pools', 7, 200);
    const { src, dst } = selectorProbes(7, sels, 1001, 0.8);
    refuseEval();
    const c = SelectorClassifier.compile(sels);
    vi.unstubAllGlobals();
    expect([c.strategy, c.batchLoop]).toEqual(['classes', 'plain']);
    const out = new Int32Array(src.length);
    c.classifyBatch(src, dst, out, src.length);
    for (let i = 0; i < src.length; i++) {
      const want = referenceClassify(sels, src[i]!, dst[i]!);
      if (out[i] !== want) expect({ i, got: out[i] }).toEqual({ i, got: want });
    }
  });

  it('regions falls back to its plain batch loop and still agrees with the reference', () => {
    const sels = workloadSelectors('private-pools', 7, 1000);
    const { src, dst } = selectorProbes(7, sels, 1001, 0.8);
    refuseEval();
    const c = SelectorClassifier.compile(sels, { strategy: 'regions' });
    vi.unstubAllGlobals();
    expect([c.strategy, c.batchLoop]).toEqual(['regions', 'plain']);
    const out = new Int32Array(src.length);
    c.classifyBatch(src, dst, out, src.length);
    for (let i = 0; i < src.length; i++) {
      const want = referenceClassify(sels, src[i]!, dst[i]!);
      if (out[i] !== want) expect({ i, got: out[i] }).toEqual({ i, got: want });
    }
  });
});
