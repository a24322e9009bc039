import { describe, expect, it } from 'vitest';
import { DROP_REASON_NAMES, DIAGNOSTIC_CODES } from '../sim/index.js';
import { DROP_EXPLANATIONS, DIAGNOSTIC_EXPLANATIONS, explain, allExplanations } from '../sim/explain.js';
import type { Explanation } from '../sim/explain.js';
import { IKE_NOTIFY_EXPLANATIONS, IKE_STATUS_EXPLANATIONS, IKE_STATUS_NAMES } from '../sim/explain-ike.js';
import { NotifyType as Ikev2NotifyType } from '../sim/wire/ikev2-numbers.js';
import { NotifyType as IsakmpNotifyType } from '../sim/wire/isakmp-names.js';
import { vgw } from './support/built-cli.js';

const complete = (e: { meaning: string; responsible: string; fix: string } | undefined): boolean =>
  e !== undefined && e.meaning.length > 40 && e.responsible.length > 5 && e.fix.length > 10;

describe('explanations', () => {
  it.each([...DROP_REASON_NAMES])('drop reason %s has a paragraph: meaning, responsible object, fix', (r) => {
    expect(complete((DROP_EXPLANATIONS as Record<string, Explanation | undefined>)[r]), `sim/explain.ts: DROP_EXPLANATIONS lacks "${r}"`).toBe(true);
  });
  it.each([...DIAGNOSTIC_CODES])('diagnostic %s has a paragraph: meaning, responsible object, fix', (c) => {
    expect(complete((DIAGNOSTIC_EXPLANATIONS as Record<string, Explanation | undefined>)[c]), `sim/explain.ts: DIAGNOSTIC_EXPLANATIONS lacks "${c}"`).toBe(true);
  });
  it('has no entries for codes that do not exist', () => {
    expect(Object.keys(DROP_EXPLANATIONS).sort()).toEqual([...DROP_REASON_NAMES].sort());
    expect(Object.keys(DIAGNOSTIC_EXPLANATIONS).sort()).toEqual([...DIAGNOSTIC_CODES].sort());
    expect(Object.keys(IKE_STATUS_EXPLANATIONS).sort()).toEqual([...IKE_STATUS_NAMES].sort());
    expect(allExplanations()).toHaveLength(DROP_REASON_NAMES.length + DIAGNOSTIC_CODES.length + IKE_STATUS_NAMES.length + Object.keys(IKE_NOTIFY_EXPLANATIONS).length);
  });
  it.each([...IKE_STATUS_NAMES])('IKE status %s has a paragraph and is found by vgw explain', (c) => {
    expect(complete(IKE_STATUS_EXPLANATIONS[c])).toBe(true);
    expect(explain(c.toLowerCase())).toMatchObject({ entry: { code: c, kind: 'ike-status' } });
  });
  it.each(Object.keys(IKE_NOTIFY_EXPLANATIONS))('IKE notify %s is a notify type of IKEv2 or IKEv1 and has a paragraph', (n) => {
    expect(n in Ikev2NotifyType || n in IsakmpNotifyType, `${n} is in neither notify table`).toBe(true);
    expect(complete(IKE_NOTIFY_EXPLANATIONS[n])).toBe(true);
    expect(explain(n)).toMatchObject({ entry: { code: n, kind: 'ike-notify' } });
  });
  it('looks codes up without case, and suggests on a miss', () => {
    expect(explain('TUNNEL-DOWN')).toMatchObject({ entry: { code: 'tunnel-down', kind: 'drop-reason' } });
    expect(explain('selector_mismatch')).toMatchObject({ entry: { code: 'SELECTOR_MISMATCH', kind: 'diagnostic' } });
    expect(explain('no-selectr')).toEqual({ suggestion: 'no-selector' });
    expect(explain('zzzzzz')).toEqual({});
  });
});

describe('vgw explain', () => {
  it('explains a code', () => {
    const r = vgw(['explain', 'No-Selector']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no-selector');
    expect(r.stdout).toContain('Responsible:');
    expect(r.stdout).toContain('Fix:');
  });
  it('lists every code without an argument', () => {
    const r = vgw(['explain']);
    expect(r.code).toBe(0);
    for (const c of [...DROP_REASON_NAMES, ...DIAGNOSTIC_CODES]) expect(r.stdout).toContain(c);
  });
  it('exits 2 with a did-you-mean on an unknown code', () => {
    const r = vgw(['explain', 'SHARED_KEY_MISMATC']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean SHARED_KEY_MISMATCH?');
  });
});
