import { getIntrospectionQuery, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../schema/index.ts';
import { createCostModel } from './cost.ts';
import { countTokens, inspectDocument, measureDocument } from './document.ts';
import { createDocumentGuard } from './guard.ts';
import { DEFAULT_QUERY_LIMITS } from './limits.ts';

const shape = (query: string) => {
  const shapes = measureDocument(parse(query));
  if (!shapes) return null;
  return [...shapes.values()][0];
};

const inspect = (query: string) => inspectDocument(query, DEFAULT_QUERY_LIMITS);
const refusal = (query: string) => {
  const result = inspect(query);
  return result.kind === 'refused' ? result.violation.code : result.kind;
};

describe('document shape', () => {
  it('counts depth in fields, through fragment spreads and inline fragments', () => {
    expect(shape('{ __typename }')?.depth).toBe(1);
    expect(shape('{ treaty(slug: "x") { title } }')?.depth).toBe(2);
    expect(
      shape(`{ actor(slug: "x") { ...A } }
        fragment A on Actor { statements { nodes { ... on Statement { speaker { ...B } } } } }
        fragment B on Actor { name }`)?.depth,
    ).toBe(5);
  });

  it('does not count introspection type chains as depth (their cost prices them)', () => {
    expect(shape(getIntrospectionQuery())?.depth).toBe(1);
  });

  it('counts aliases, __typename included, once per time a fragment is spread at a different place', () => {
    expect(shape('{ a: __typename b: __typename treaties { c: totalCount } }')?.aliases).toBe(3);
    const twice = `{ treaty(slug: "x") { ...F } actor(slug: "y") { treaties { nodes { ...F } } } }
      fragment F on Treaty { a: title b: slug }`;
    expect(shape(twice)?.aliases).toBe(4);
    // Spread twice at one level, a fragment's fields merge into one: GraphQL answers them once.
    expect(shape('{ treaty(slug: "x") { ...F ...F } } fragment F on Treaty { a: title }')?.aliases).toBe(1);
  });

  it('counts directives on operations, variables, fields, fragments and spreads', () => {
    const query = `query Q($x: Boolean = true @deprecated) @skip(if: false) {
      a: __typename @include(if: $x)
      ... @include(if: true) { b: __typename }
      ...F @skip(if: false)
    }
    fragment F on Query @include(if: true) { c: __typename @skip(if: false) }`;
    expect(shape(query)?.directives).toBe(7);
  });

  it('counts repeats of a response path, across repeated parents and fragments', () => {
    expect(shape('{ __typename __typename }')?.repeats).toEqual({ name: '__typename', count: 2 });
    const nested = `{ ${'treaties { nodes { title title } } '.repeat(3)} }`;
    // 3 `treaties` merge into one field with 3 `nodes`, which merge with 6 `title`s.
    expect(shape(nested)?.repeats).toEqual({ name: 'title', count: 6 });
    const throughFragments =
      '{ treaty(slug: "x") { title ...A ...B } } fragment A on Treaty { title } fragment B on Treaty { title }';
    expect(shape(throughFragments)?.repeats.count).toBe(3);
  });

  it('refuses fragment cycles and unknown fragments before validation would walk the rest', () => {
    const acrossLevels =
      '{ actor(slug: "x") { ...A } } fragment A on Actor { roles { organization { ...A } } }';
    expect(shape(acrossLevels)).toBeNull();
    expect(inspect(acrossLevels)).toEqual({
      kind: 'malformed',
      message: 'Fragments must not spread themselves: A → A.',
    });
    expect(shape('{ ...Missing }')).toBeNull();
    expect(inspect('{ ...Missing }')).toEqual({ kind: 'malformed', message: 'Unknown fragment "Missing".' });
    expect(inspect('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }')).toMatchObject({
      message: 'Fragments must not spread themselves: A → B → A.',
    });
    // A fragment spread at two levels, one inside the other, is no cycle.
    const twoLevels =
      '{ actor(slug: "x") { ...F roles { organization { ...F } } } } fragment F on Actor { name }';
    expect(inspect(twoLevels).kind).toBe('ok');
    expect(shape(twoLevels)?.depth).toBe(4);
  });

  it('measures fragments that double at every level without walking 2^n paths', () => {
    let fragments = '';
    for (let i = 0; i < 60; i++)
      fragments += `fragment F${i} on Actor { roles { organization { ...F${i + 1} } } statements { nodes { speaker { ...F${i + 1} } } } } `;
    const result = measureDocument(
      parse(`{ actor(slug: "x") { ...F0 } } ${fragments} fragment F60 on Actor { name }`),
      {
        maxDepth: 10,
      },
    );
    expect(result).not.toBeNull();
    expect([...(result?.values() ?? [])][0]?.depth).toBeGreaterThan(10);
  });
});

describe('document limits at their boundary', () => {
  const nested = (depth: number) => {
    // actor(1) > statements(2) > nodes(3) > speaker(4) > statements(5) > ... > name
    let inner = 'name';
    let level = 1;
    const steps = ['speaker', 'nodes', 'statements'];
    const chain: string[] = [];
    while (level + chain.length < depth - 1) chain.push(steps[chain.length % 3] as string);
    for (const step of chain.reverse()) inner = `${step} { ${inner} }`;
    level = 1 + chain.length + 1;
    return { query: `{ actor(slug: "x") { ${inner} } }`, depth: level };
  };

  it('depth: 10 passes, 11 is refused', () => {
    expect(nested(10).depth).toBe(10);
    expect(refusal(nested(10).query)).toBe('ok');
    expect(refusal(nested(11).query)).toBe('DEPTH_LIMIT_EXCEEDED');
  });

  it('aliases: 30 pass, 31 are refused', () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expect(refusal(aliases(30))).toBe('ok');
    expect(refusal(aliases(31))).toBe('ALIAS_LIMIT_EXCEEDED');
  });

  it('directives: 10 pass, 11 are refused', () => {
    const directives = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename @include(if: true)`).join(' ')} }`;
    expect(refusal(directives(10))).toBe('ok');
    expect(refusal(directives(11))).toBe('DIRECTIVE_LIMIT_EXCEEDED');
  });

  it('tokens: 2000 pass, 2001 are refused; comments and commas are not tokens', () => {
    const ids = (n: number) =>
      `{ nodes(ids: [${Array(n).fill('"x"').join(', ')}]) { __typename } } # a comment`;
    expect(countTokens(ids(1988), 5000)).toBe(2000);
    expect(refusal(ids(1988))).toBe('ok');
    expect(refusal(ids(1989))).toBe('TOKEN_LIMIT_EXCEEDED');
  });

  it('field repeats: 10 pass, 11 are refused', () => {
    expect(refusal(`{ ${'__typename '.repeat(10)}}`)).toBe('ok');
    expect(refusal(`{ ${'__typename '.repeat(11)}}`)).toBe('FIELD_REPEAT_LIMIT_EXCEEDED');
  });

  it('remembers verdicts, refusals included', () => {
    const guard = createDocumentGuard(DEFAULT_QUERY_LIMITS);
    const query = `{ ${'__typename '.repeat(11)}}`;
    expect(guard.check(query)?.code).toBe('FIELD_REPEAT_LIMIT_EXCEEDED');
    expect(guard.check(query)?.code).toBe('FIELD_REPEAT_LIMIT_EXCEEDED');
    expect(guard.check('{ __typename }')).toBeNull();
  });
});

describe('operation cost', () => {
  const model = createCostModel(schema, { budget: 100_000 });
  const cost = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    ) as OperationDefinitionNode;
    return model.operationCost(document, operation, variables).requested;
  };

  it('counts every field once, and a connection’s items `first` times (20 without it)', () => {
    expect(cost('{ __typename }')).toBe(1);
    expect(cost('{ treaties { totalCount } }')).toBe(2);
    // statements 1 + nodes 1 + 10 × (text 1 + speaker 1 + name 1)
    expect(cost('{ statements(first: 10) { nodes { text speaker { name } } } }')).toBe(32);
    expect(cost('{ statements { nodes { text } } }')).toBe(22);
    expect(cost('query ($n: Int) { statements(last: $n) { edges { cursor node { id } } } }', { n: 5 })).toBe(
      2 + 5 * 3,
    );
  });

  it('multiplies nested lists, and plain lists by the sizes the data has', () => {
    // treaties 1 + nodes 1 + 20 × (provisions 1 + 120 × number 1)
    expect(cost('{ treaties { nodes { provisions { number } } } }')).toBe(2 + 20 * 121);
    expect(cost('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] })).toBe(4);
  });

  it('prices an abstract type as its most expensive member', () => {
    const query = '{ node(id: "x") { id ... on Treaty { title slug status } ... on Actor { name } } }';
    expect(cost(query)).toBe(1 + 1 + 3);
  });

  it('prices the complete introspection query at half the budget, and one more nesting far over it', () => {
    const full = cost(
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      }),
    );
    expect(full).toBe(50_000);
    expect(cost('{ __type(name: "Actor") { name } }')).toBeLessThan(10);
    expect(
      cost('{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }'),
    ).toBeGreaterThan(100_000);
  });

  it('prices fragments spread many times once per spread, without walking them each time', () => {
    let fragments = '';
    for (let i = 0; i < 40; i++) fragments += `fragment F${i} on Query { ...F${i + 1} a${i}: __typename } `;
    expect(cost(`{ ...F0 } ${fragments} fragment F40 on Query { __typename }`)).toBe(41);
  });
});
