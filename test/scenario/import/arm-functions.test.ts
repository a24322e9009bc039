/**
 * The ARM expression evaluator, function by function, against the results Microsoft's
 * template function reference documents for its examples (learn.microsoft.com,
 * azure-resource-manager/templates/template-functions-*), plus the errors Azure gives.
 */
import { describe, expect, it } from 'vitest';
import { parseExpression, templateString } from '../../../sim/scenario/import/arm/expr-parse.js';
import { evaluate } from '../../../sim/scenario/import/arm/expr-eval.js';
import type { Deployment } from '../../../sim/scenario/import/arm/expr-eval.js';
import { ExpressionError } from '../../../sim/scenario/import/arm/expr-tokenize.js';
import { makeObject } from '../../../sim/scenario/import/arm/values.js';
import type { ArmValue } from '../../../sim/scenario/import/arm/values.js';
import { uniqueString } from '../../../sim/scenario/import/arm/unique-string.js';

const PARAMS: Record<string, ArmValue> = {
  firstString: 'abc',
  secondObject: makeObject([['a', 'b'], ['c', 'd'], ['e', 'f']]),
  arrayToTest: ['one', 'two', 'three'],
};

const deployment: Deployment = {
  parameter: (name) => {
    const v = PARAMS[name];
    if (v === undefined) throw new ExpressionError(`no parameter ${name}`, 0);
    return v;
  },
  variable: () => 'var',
  copyIndex: (_loop, offset) => 2 + offset,
  reference: () => makeObject([['ipAddress', '203.0.113.9']]),
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: makeObject([['id', '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1'], ['name', 'rg1'], ['location', 'westus']]),
  subscription: makeObject([['subscriptionId', '00000000-0000-0000-0000-000000000000']]),
  deployment: makeObject([['name', 'd']]),
};

function ev(src: string): ArmValue {
  return evaluate(parseExpression(src), deployment);
}

/** A plain copy (objects with a null prototype compared as plain objects). */
function plain(v: ArmValue): unknown {
  return JSON.parse(JSON.stringify(v)) as unknown;
}

describe('ARM template functions (documented examples)', () => {
  it.each<[string, unknown]>([
    ["concat('prefix', '-', 'abc123')", 'prefix-abc123'],
    ["concat(createArray('1-1', '1-2'), createArray('2-1'))", ['1-1', '1-2', '2-1']],
    ["concat('a', 1)", 'a1'],
    ["format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133)", 'Hello, User. Formatted number: 8,175,133'],
    ["format('{0:D3}-{{x}}', 7)", '007-{x}'],
    ["split('one,two,three', ',')", ['one', 'two', 'three']],
    ["split('one;two,three', createArray(',', ';'))", ['one', 'two', 'three']],
    ["toLower('One Two Three')", 'one two three'],
    ["toUpper('One Two Three')", 'ONE TWO THREE'],
    ["replace('123-123-1234', '-', '')", '1231231234'],
    ["substring('one two three', 4, 3)", 'two'],
    ["skip('one two three', 4)", 'two three'],
    ["skip(createArray('one', 'two', 'three'), 2)", ['three']],
    ["take('one two three', 2)", 'on'],
    ["take(createArray('one', 'two', 'three'), 2)", ['one', 'two']],
    ["take(createArray('one'), 5)", ['one']],
    ["length(parameters('arrayToTest'))", 3],
    ["length('One Two Three')", 13],
    ["length(parameters('secondObject'))", 3],
    ["first(parameters('arrayToTest'))", 'one'],
    ["first('One Two Three')", 'O'],
    ["last(parameters('arrayToTest'))", 'three'],
    ["last('One Two Three')", 'e'],
    ["contains('OneTwoThree', 'e')", true],
    ["contains('OneTwoThree', 'z')", false],
    ["contains(parameters('secondObject'), 'a')", true],
    ["contains(parameters('secondObject'), 'A')", true],
    ["contains(parameters('arrayToTest'), 'three')", true],
    ["contains(parameters('arrayToTest'), 'four')", false],
    ["union(createArray('one', 'two', 'three'), createArray('three', 'four'))", ['one', 'two', 'three', 'four']],
    ["union(json('{\"a\": \"b\", \"c\": \"d\"}'), json('{\"c\": \"x\", \"e\": \"f\"}'))", { a: 'b', c: 'x', e: 'f' }],
    ["createArray(1, 2, 3)", [1, 2, 3]],
    ["createObject('intProp', 1, 'stringProp', 'abc', 'boolProp', true())", { intProp: 1, stringProp: 'abc', boolProp: true }],
    ["empty(createArray())", true],
    ["empty(json('{}'))", true],
    ["empty('')", true],
    ["empty('a')", false],
    ["string(json('{\"valueA\": 10, \"valueB\": \"Example Text\"}'))", '{"valueA":10,"valueB":"Example Text"}'],
    ["string(createArray('a', 'b', 'c'))", '["a","b","c"]'],
    ['string(5)', '5'],
    ['string(true())', 'True'],
    ["int('4')", 4],
    ["bool('true')", true],
    ["bool('False')", false],
    ['bool(0)', false],
    ['bool(1)', true],
    ['equals(1, 1)', true],
    ["equals('a', 'A')", false],
    ["equals(createArray('a', 'b'), createArray('a', 'b'))", true],
    ['not(equals(1, 2))', true],
    ['and(true(), false())', false],
    ['or(true(), false())', true],
    ["if(equals('a', 'a'), 'yes', 'no')", 'yes'],
    ["if(false(), parameters('missing'), 'only the branch taken is evaluated')", 'only the branch taken is evaluated'],
    ["json('{\"a\": [1, 2]}').a[1]", 2],
    ["json('null')", null],
    ["json('{\"Name\": 1}').name", 1],
    ['add(5, 3)', 8],
    ['sub(7, 3)', 4],
    ['div(8, 3)', 2],
    ['mod(7, 3)', 1],
    ["uniqueString('test')", 'rbgf3xv4ufgzg'],
    ["resourceGroup().location", 'westus'],
    ["resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'GatewaySubnet')", '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/GatewaySubnet'],
    ["resourceId('otherRg', 'Microsoft.Network/publicIPAddresses', 'pip')", '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/otherRg/providers/Microsoft.Network/publicIPAddresses/pip'],
    ["reference('pip1').ipAddress", '203.0.113.9'],
    ['copyIndex()', 2],
    ['copyIndex(1)', 3],
    ["PARAMETERS('firstString')", 'abc'],
  ])('%s', (src, want) => {
    expect(plain(ev(src))).toEqual(want);
  });

  it('a string is an expression only between brackets; [[ escapes a literal bracket', () => {
    expect(templateString("[concat('a', 'b')]")).toEqual({ expression: "concat('a', 'b')" });
    expect(templateString('[[not an expression]')).toEqual({ literal: '[not an expression]' });
    expect(templateString('plain [text]')).toEqual({ literal: 'plain [text]' });
    expect(ev("'it''s'")).toBe("it's");
  });

  it('uniqueString gives the values Azure gives (dash-joined arguments, MurmurHash64 variant, base 32)', () => {
    expect(uniqueString(['hello', 'world'])).toBe('a7wkljktk6wne');
    expect(uniqueString(['abc'])).toBe('cgtzqvhu4i23s');
    expect(uniqueString(['/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg'])).toBe('bmg7c6xu4tw46');
    expect(uniqueString(['foo', 'bar', 'baz'])).toBe('xzi4ioaxtmth4');
    expect(uniqueString(['foo', 'bar', 'baz'])).toBe(uniqueString(['foo-bar-baz']));
  });

  it('uniqueString is 13 letters of a-z2-7 for random inputs of every tail length', () => {
    for (let n = 0; n < 40; n++) {
      const s = Array.from({ length: n }, (_x, i) => String.fromCharCode(33 + ((i * 7 + n) % 90))).join('');
      expect(uniqueString([s])).toMatch(/^[a-z2-7]{13}$/);
    }
  });

  it.each<[string, RegExp]>([
    ["nosuch('a')", /unknown template function 'nosuch'/],
    ['toLower(1)', /'toLower' expects its argument to be of type String; the value given is of type Integer/],
    ["toLower('a', 'b')", /'toLower' takes 1 argument, got 2/],
    ["substring('abc', 2, 5)", /goes past the end/],
    ["int('x')", /cannot convert 'x' to an integer/],
    ["json('{')", /not valid JSON/],
    ["createArray(1)[3]", /index 3 is outside the array/],
    ["json('{}').missing", /no property 'missing'/],
    ["concat('a', createArray(1))", /joins strings and integers, or arrays/],
    ["not('x')", /type Boolean/],
    ["concat('a'", /"," or "\)" was expected/],
    ["'unterminated", /never closed/],
    ['div(1, 0)', /divide by zero/],
  ])('%s is refused', (src, msg) => {
    expect(() => ev(src)).toThrow(msg);
  });
});
