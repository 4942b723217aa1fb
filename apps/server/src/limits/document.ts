import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  Lexer,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  Source,
  TokenKind,
} from 'graphql';
import { type LimitViolation, type QueryLimits, violation } from './limits.ts';

// The shape of a document, measured before GraphQL validation runs. Validation compares fields of
// one response name pairwise, sub-selections included, so a 10 KB document repeating nested fields
// keeps the event loop busy for half a second; measuring stops at the first limit passed and
// remembers what it measured, so it stays well under a millisecond for real documents.

export type DocumentShape = {
  depth: number;
  aliases: number;
  directives: number;
  /** The most-repeated response name in any one selection set, fragments expanded. */
  repeats: { name: string; count: number };
};

// Introspection is priced by the cost analysis (cost.ts); its type-reference chains (`ofType`
// nested eight deep in every client's introspection query) would otherwise count as depth.
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

export type Inspection =
  | { kind: 'ok'; document: DocumentNode; shapes: Map<OperationDefinitionNode, DocumentShape> }
  | { kind: 'refused'; violation: LimitViolation }
  /**
   * Spreads an unknown fragment, or fragments spread each other in a cycle: refused here, since
   * validation would first spend its time on whatever else the document holds.
   */
  | { kind: 'malformed'; message: string }
  /** A syntax error: parsing is linear, Apollo reports it. */
  | { kind: 'invalid' };

/** Counts tokens the way graphql-js's parser does for `maxTokens`, stopping once past `max`. */
export function countTokens(query: string, max: number): number | null {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      count += 1;
      if (count > max) return count;
    }
  } catch {
    return null;
  }
  return count;
}

/** Checks a GraphQL document against the token, depth, alias, directive and repetition limits. */
export function inspectDocument(query: string, limits: QueryLimits): Inspection {
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true, maxTokens: limits.maxTokens });
  } catch {
    // Either a syntax error (validation reports it) or too many tokens: count to tell which.
    const tokens = countTokens(query, limits.maxTokens);
    if (tokens === null || tokens <= limits.maxTokens) return { kind: 'invalid' };
    return {
      kind: 'refused',
      violation: violation(
        'maxTokens',
        limits.maxTokens,
        tokens,
        `The document has more than ${limits.maxTokens} tokens; at most ${limits.maxTokens} are allowed. Send a smaller query.`,
      ),
    };
  }
  const problem = fragmentProblem(document);
  if (problem) return { kind: 'malformed', message: problem };
  const shapes = measureDocument(document, limits);
  if (!shapes) return { kind: 'malformed', message: 'The document spreads fragments it cannot resolve.' };
  for (const [operation, shape] of shapes) {
    const found = exceeded(operation, shape, limits);
    if (found) return { kind: 'refused', violation: found };
  }
  return { kind: 'ok', document, shapes };
}

function exceeded(
  operation: OperationDefinitionNode,
  shape: DocumentShape,
  limits: QueryLimits,
): LimitViolation | null {
  const name = operation.name ? `Operation ${operation.name.value}` : 'The operation';
  if (shape.depth > limits.maxDepth)
    return violation(
      'maxDepth',
      limits.maxDepth,
      shape.depth,
      `${name} is ${shape.depth} fields deep (fragments included); at most ${limits.maxDepth} levels are allowed.`,
    );
  if (shape.aliases > limits.maxAliases)
    return violation(
      'maxAliases',
      limits.maxAliases,
      shape.aliases,
      `${name} uses ${shape.aliases} aliases (fragments included); at most ${limits.maxAliases} are allowed.`,
    );
  if (shape.directives > limits.maxDirectives)
    return violation(
      'maxDirectives',
      limits.maxDirectives,
      shape.directives,
      `${name} uses ${shape.directives} directives (fragments included); at most ${limits.maxDirectives} are allowed.`,
    );
  if (shape.repeats.count > limits.maxFieldRepeats)
    return violation(
      'maxFieldRepeats',
      limits.maxFieldRepeats,
      shape.repeats.count,
      `${name} selects \`${shape.repeats.name}\` ${shape.repeats.count} times in one selection set (fragments included); at most ${limits.maxFieldRepeats} are allowed.`,
    );
  return null;
}

/**
 * The shape of every operation in the document, or null when it spreads an unknown fragment or
 * fragments spread each other in a cycle. Fields are merged the way GraphQL merges them: selections
 * of one response name at one level form one field whose sub-selections are merged in turn, and a
 * fragment spread twice at one level counts once.
 */
export function measureDocument(
  document: DocumentNode,
  stopAt: Partial<QueryLimits> = {},
): Map<OperationDefinitionNode, DocumentShape> | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  // Merged fields are remembered by the selection sets they merge: a fragment spread in many places
  // is measured once, so fragments spreading each other are not walked once per path.
  const ids = new Map<SelectionSetNode, number>();
  const assign = (set: SelectionSetNode) => {
    let id = ids.get(set);
    if (id === undefined) {
      id = ids.size;
      ids.set(set, id);
    }
    return id;
  };
  const memo = new Map<string, Shape>();
  if (fragmentProblem(document)) return null;
  const maxRepeats = stopAt.maxFieldRepeats ?? Number.POSITIVE_INFINITY;

  /** Measures one merged field: the selection sets of every occurrence of it. */
  const measure = (sets: readonly SelectionSetNode[]): Shape => {
    const key = sets
      .map(assign)
      .sort((a, b) => a - b)
      .join(',');
    const known = memo.get(key);
    if (known) return known;

    const groups = new Map<string, FieldNode[]>();
    let aliases = 0;
    let directives = 0;
    const visited = new Set<string>();
    const collect = (set: SelectionSetNode): void => {
      for (const selection of set.selections) {
        directives += selection.directives?.length ?? 0;
        if (selection.kind === Kind.FIELD) {
          const name = selection.alias?.value ?? selection.name.value;
          const group = groups.get(name);
          if (group) group.push(selection);
          else groups.set(name, [selection]);
          if (selection.alias) aliases += 1;
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          collect(selection.selectionSet);
        } else {
          const name = selection.name.value;
          if (visited.has(name)) continue;
          visited.add(name);
          const fragment = fragments.get(name);
          if (!fragment) throw MALFORMED;
          directives += fragment.directives?.length ?? 0;
          collect(fragment.selectionSet);
        }
      }
    };
    for (const set of sets) collect(set);

    const shape: Shape = { depth: 1, aliases, directives, repeats: { name: '', count: 0 } };
    for (const [name, fields] of groups) {
      if (fields.length > shape.repeats.count) shape.repeats = { name, count: fields.length };
      if (fields.length > maxRepeats) return shape;
      const children = fields.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
      if (children.length === 0) continue;
      const introspection = fields.some((f) => INTROSPECTION_ROOTS.has(f.name.value));
      const child = measure(children);
      if (!introspection) shape.depth = Math.max(shape.depth, 1 + child.depth);
      shape.aliases += child.aliases;
      shape.directives += child.directives;
      if (child.repeats.count > shape.repeats.count) shape.repeats = child.repeats;
    }
    memo.set(key, shape);
    return shape;
  };

  const shapes = new Map<OperationDefinitionNode, DocumentShape>();
  try {
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const shape = measure([definition.selectionSet]);
      let directives = shape.directives + (definition.directives?.length ?? 0);
      for (const variable of definition.variableDefinitions ?? [])
        directives += variable.directives?.length ?? 0;
      shapes.set(definition, { ...shape, directives });
    }
    // A fragment no operation spreads is still walked by validation: it must be well-formed too.
    for (const fragment of fragments.values()) measure([fragment.selectionSet]);
  } catch (error) {
    if (error === MALFORMED) return null;
    throw error;
  }
  return shapes;
}

type Shape = DocumentShape;

/**
 * What is wrong with the document's fragments, if anything: a spread of a fragment it does not
 * define, or a fragment that spreads itself, however indirectly or deeply nested (validation's
 * KnownFragmentNames and NoFragmentCycles). Only without either does merging fields end.
 */
export function fragmentProblem(document: DocumentNode): string | null {
  const spreads = new Map<string, Set<string>>();
  const spreadsIn = (set: SelectionSetNode, into: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) into.add(selection.name.value);
      else if (selection.selectionSet) spreadsIn(selection.selectionSet, into);
    }
  };
  const used = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      const found = new Set<string>();
      spreadsIn(definition.selectionSet, found);
      spreads.set(definition.name.value, found);
      for (const name of found) used.add(name);
    } else if (definition.kind === Kind.OPERATION_DEFINITION) spreadsIn(definition.selectionSet, used);
  }
  for (const name of used) if (!spreads.has(name)) return `Unknown fragment "${name.slice(0, 100)}".`;

  const done = new Set<string>();
  const path: string[] = [];
  const cycleFrom = (name: string): string | null => {
    if (done.has(name)) return null;
    const at = path.indexOf(name);
    if (at >= 0) return [...path.slice(at), name].join(' → ');
    path.push(name);
    for (const next of spreads.get(name) ?? []) {
      const cycle = cycleFrom(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(name);
    return null;
  };
  for (const name of spreads.keys()) {
    const cycle = cycleFrom(name);
    if (cycle) return `Fragments must not spread themselves: ${cycle.slice(0, 300)}.`;
  }
  return null;
}

const MALFORMED = new Error('malformed document');
