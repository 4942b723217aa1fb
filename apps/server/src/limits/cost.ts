import { PAGE_SIZE } from '@chancery/domain/pagination';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  getVariableValues,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  valueFromAST,
} from 'graphql';

// The cost of an operation is the most fields its response can hold: every selected field counts 1
// (`__typename` too), and a list counts its items' selections once per item it can return. A
// connection returns `first` (or `last`) items, 20 when neither is given; `nodes(ids:)` as many as
// it is given IDs; every other list as many as LIST_SIZES says such lists really hold. Abstract
// types (node, mutation results) cost as much as their most expensive member.

/**
 * How many items a list that is not a connection can hold, from the data it carries: what the
 * seed story and the sample stories hold, and how far real documents go beyond them.
 */
export const LIST_SIZES: Record<string, number> = {
  // A person's posts as the stories name them: usually one or two.
  'Actor.roles': 10,
  // Wire stories run 5–15 paragraphs (the seed story 9, the sample stories 8–12); long reads 60.
  'Article.paragraphs': 60,
  // Two or three named actors, treaties or provisions a paragraph.
  'Article.mentions': 150,
  'Article.treaties': 10,
  // A statement is about one treaty, rarely a few, and names a few of its articles.
  'Statement.about': 5,
  'Statement.provisions': 10,
  // Signature, submission and ratification by each party, exchange, entry into force, withdrawals.
  'Treaty.actions': 30,
  // Bilateral treaties have 2 parties; named parties of plurilateral ones a few dozen (open
  // multilateral instruments list none).
  'Treaty.parties': 30,
  // The Russia–DPRK treaty has 23 articles, the UN Charter 111.
  'Treaty.provisions': 120,
  // Cross-references: Article 4 of the treaty refers to Article 51 of the UN Charter.
  'TreatyProvision.refersTo': 10,
  'TreatyProvision.referencedBy': 50,
};

/** Lists not in LIST_SIZES count as many items as a default page. */
const UNKNOWN_LIST_SIZE = PAGE_SIZE.default;

/** Share of the budget a full introspection query (every type, field and argument) costs. */
const INTROSPECTION_SHARE = 0.5;

export type OperationCost = {
  /** The cost the budget is compared with. */
  requested: number;
};

export type CostModel = {
  operationCost(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | undefined,
  ): OperationCost;
};

export function createCostModel(schema: GraphQLSchema, options: { budget: number }): CostModel {
  const introspectionSizes = introspectionListSizes(schema);
  const standardIntrospection = parse(
    getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    }),
  );
  const standardOperation = standardIntrospection.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  ) as OperationDefinitionNode;
  const raw = walk(schema, introspectionSizes, standardIntrospection, standardOperation, {});
  // Introspection is priced by the schema's real sizes (types, fields per type, arguments per
  // field), scaled so that the complete introspection query every tool sends costs a share of the
  // budget; one more level of `fields { type { fields … } }` multiplies it past the budget.
  const introspectionWeight =
    raw.introspection > 0 ? (INTROSPECTION_SHARE * options.budget) / raw.introspection : 1;

  const price = (
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | undefined,
  ): OperationCost => {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
    const values = 'coerced' in coerced && coerced.coerced ? coerced.coerced : (variables ?? {});
    const cost = walk(schema, introspectionSizes, document, operation, values);
    return { requested: cost.regular + Math.ceil(cost.introspection * introspectionWeight) };
  };
  // An operation's cost depends on its variables alone: Apollo hands every request for the same
  // text the same parsed document, so the usual few variable sets of an operation are priced once.
  const priced = new WeakMap<OperationDefinitionNode, Map<string, OperationCost>>();
  return {
    operationCost(document, operation, variables) {
      const key = JSON.stringify(variables ?? {});
      if (key.length > MAX_PRICED_VARIABLES_LENGTH) return price(document, operation, variables);
      let byVariables = priced.get(operation);
      if (!byVariables) {
        byVariables = new Map();
        priced.set(operation, byVariables);
      }
      let cost = byVariables.get(key);
      if (!cost) {
        cost = price(document, operation, variables);
        if (byVariables.size >= MAX_PRICED_VARIABLE_SETS) byVariables.clear();
        byVariables.set(key, cost);
      }
      return cost;
    },
  };
}

/** Variable sets remembered per operation, and the longest (as JSON) worth remembering. */
const MAX_PRICED_VARIABLE_SETS = 256;
const MAX_PRICED_VARIABLES_LENGTH = 1024;

type Totals = { regular: number; introspection: number };

function walk(
  schema: GraphQLSchema,
  introspectionSizes: Record<string, number>,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): Totals {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  // One selection set on one concrete type under one page size always costs the same: remember it,
  // so what a fragment nests, spread in many places (or fragments spreading each other), is priced
  // once and multiplied, never walked once per path.
  const memo = new WeakMap<SelectionSetNode, Map<string, number>>();
  const visiting = new Set<SelectionSetNode>();

  const selectionSetCost = (set: SelectionSetNode, type: GraphQLCompositeType, pageSize: number): number => {
    if (!isAbstractType(type)) return costOn(set, type, pageSize);
    const members = schema.getPossibleTypes(type);
    let most = 0;
    for (const member of members) most = Math.max(most, costOn(set, member, pageSize));
    return most;
  };

  const costOn = (
    set: SelectionSetNode,
    type: GraphQLObjectType | GraphQLCompositeType,
    pageSize: number,
  ): number => {
    const key = `${type.name}:${pageSize}`;
    let byKey = memo.get(set);
    const known = byKey?.get(key);
    if (known !== undefined) return known;
    // A fragment cycle never passes validation; price it as nothing rather than recurse forever.
    if (visiting.has(set)) return 0;
    visiting.add(set);
    let total = 0;
    for (const field of levelFields(set, type)) total += fieldCost(field, type, pageSize);
    visiting.delete(set);
    if (!byKey) {
      byKey = new Map();
      memo.set(set, byKey);
    }
    byKey.set(key, total);
    return total;
  };

  /**
   * The fields selected at one level: the set's own, and those of the fragments spread into it
   * (inline or named, when they apply to `type`); a named fragment counts once per level, as GraphQL
   * executes it once.
   */
  const levelFields = (set: SelectionSetNode, type: GraphQLCompositeType): FieldNode[] => {
    const fields: FieldNode[] = [];
    const spread = new Set<string>();
    const collect = (current: SelectionSetNode) => {
      for (const selection of current.selections) {
        if (selection.kind === Kind.FIELD) fields.push(selection);
        else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (applies(selection.typeCondition?.name.value, type)) collect(selection.selectionSet);
        } else if (!spread.has(selection.name.value)) {
          spread.add(selection.name.value);
          const fragment = fragments.get(selection.name.value);
          if (fragment && applies(fragment.typeCondition.name.value, type)) collect(fragment.selectionSet);
        }
      }
    };
    collect(set);
    return fields;
  };

  const applies = (condition: string | undefined, type: GraphQLCompositeType): boolean => {
    if (condition === undefined || condition === type.name) return true;
    const conditionType = schema.getType(condition);
    if (!conditionType || !isAbstractType(conditionType) || !isObjectType(type)) return false;
    return schema.isSubType(conditionType, type);
  };

  const fieldCost = (node: FieldNode, parent: GraphQLCompositeType, pageSize: number): number => {
    const field = fieldDefinition(schema, parent, node.name.value);
    if (!field || !node.selectionSet) return 1;
    const named = getNamedType(field.type);
    if (isLeafType(named) || !isCompositeType(named)) return 1;
    const nullable = getNullableType(field.type);
    const items = isListType(nullable) ? listSize(node, parent, field, pageSize) : 1;
    return 1 + items * selectionSetCost(node.selectionSet, named, connectionPageSize(node, field, named));
  };

  const listSize = (
    node: FieldNode,
    parent: GraphQLNamedType,
    field: GraphQLField<unknown, unknown>,
    pageSize: number,
  ): number => {
    if (isConnection(parent) && (field.name === 'edges' || field.name === 'nodes')) return pageSize;
    const ids = argument(node, field, 'ids');
    if (ids !== undefined) return Array.isArray(ids) ? ids.length : 1;
    return (
      introspectionSizes[`${parent.name}.${field.name}`] ??
      LIST_SIZES[`${parent.name}.${field.name}`] ??
      UNKNOWN_LIST_SIZE
    );
  };

  const connectionPageSize = (
    node: FieldNode,
    field: GraphQLField<unknown, unknown>,
    named: GraphQLNamedType,
  ): number => {
    if (!isConnection(named)) return PAGE_SIZE.default;
    const size = argument(node, field, 'first') ?? argument(node, field, 'last');
    if (size === undefined || size === null) return PAGE_SIZE.default;
    // Out-of-range sizes are refused by the page-size check; price them at the largest page.
    return Number.isInteger(size) && (size as number) >= 1
      ? Math.min(size as number, PAGE_SIZE.max)
      : PAGE_SIZE.max;
  };

  const argument = (node: FieldNode, field: GraphQLField<unknown, unknown>, name: string): unknown => {
    const definition = field.args.find((a) => a.name === name);
    const given = node.arguments?.find((a) => a.name.value === name);
    if (!definition || !given) return undefined;
    return valueFromAST(given.value, definition.type, variables);
  };

  const totals: Totals = { regular: 0, introspection: 0 };
  const root = rootType(schema, operation);
  if (!root) return totals;
  for (const field of levelFields(operation.selectionSet, root)) {
    const cost = fieldCost(field, root, PAGE_SIZE.default);
    if (field.name.value === '__schema' || field.name.value === '__type') totals.introspection += cost;
    else totals.regular += cost;
  }
  return totals;
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLObjectType | null {
  if (operation.operation === 'query') return schema.getQueryType() ?? null;
  if (operation.operation === 'mutation') return schema.getMutationType() ?? null;
  return schema.getSubscriptionType() ?? null;
}

function fieldDefinition(
  schema: GraphQLSchema,
  parent: GraphQLCompositeType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (name === '__schema' && parent === schema.getQueryType()) return SchemaMetaFieldDef;
  if (name === '__type' && parent === schema.getQueryType()) return TypeMetaFieldDef;
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

const isConnection = (type: GraphQLNamedType) => type.name.endsWith('Connection');

/** The real sizes of the introspection lists of this schema: the most any type or field has. */
function introspectionListSizes(schema: GraphQLSchema): Record<string, number> {
  const types = Object.values(schema.getTypeMap());
  let fields = 0;
  let args = 0;
  let interfaces = 0;
  let possibleTypes = 0;
  let enumValues = 0;
  let inputFields = 0;
  for (const type of types) {
    if (isObjectType(type) || isInterfaceType(type)) {
      const own = Object.values(type.getFields());
      fields = Math.max(fields, own.length);
      for (const field of own) args = Math.max(args, field.args.length);
      interfaces = Math.max(interfaces, type.getInterfaces().length);
    }
    if (isAbstractType(type)) possibleTypes = Math.max(possibleTypes, schema.getPossibleTypes(type).length);
    if ('getValues' in type) enumValues = Math.max(enumValues, type.getValues().length);
    if ('getFields' in type && !isObjectType(type) && !isInterfaceType(type))
      inputFields = Math.max(inputFields, Object.keys(type.getFields()).length);
  }
  const directives = schema.getDirectives();
  for (const directive of directives) args = Math.max(args, directive.args.length);
  return {
    '__Schema.types': types.length,
    '__Schema.directives': directives.length,
    '__Type.fields': fields,
    '__Type.interfaces': interfaces,
    '__Type.possibleTypes': possibleTypes,
    '__Type.enumValues': enumValues,
    '__Type.inputFields': inputFields,
    '__Field.args': args,
    '__Directive.args': args,
  };
}
