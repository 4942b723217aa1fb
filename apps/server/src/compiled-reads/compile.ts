// A query document compiled once into one SQL statement that builds the response's `data` in the
// database, as PostGraphile does: no per-request planning, no resolver per field and row. The JSON
// is built with row_to_json and array_to_json, which write it compact, as JSON.stringify does: the
// server sends the text on as it comes (json_build_object and json_agg put spaces in). Only
// documents made entirely of read-model fields compile (read-model.ts); anything else (another
// field or argument, a directive, a fragment on another type) returns null and the document runs
// through the schema's resolvers as usual.
//
// A document compiles once per shape of its variables (shapeOf: which are null, and which fields
// of an input object are), so an argument null at run time is left out of the text rather than
// written as `$1 is null or …`, which PostgreSQL cannot plan as a join or an index condition.
import { decodeGlobalId } from '@chancery/domain/global-id';
import { PAGE_SIZE } from '@chancery/domain/pagination';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import {
  type Column,
  type Computed,
  type Field,
  type Link,
  name,
  type ObjectModel,
  type Order,
  readModel,
  tableName,
} from './read-model.ts';

/**
 * A parameter's value for one request, or FALLBACK when the request must run as usual. A page
 * size is written into the text (`inline`): PostgreSQL has no good generic plan for `limit $1`.
 */
type Param = { value: (variables: Record<string, unknown>) => unknown; inline?: boolean };
const FALLBACK: unique symbol = Symbol('fallback');

export type CompiledRead = {
  /**
   * The statement's text around its parameters. It returns `data`, the response's data as JSON
   * text, and `found`: false when a root field looked up by slug found nothing (not found, or
   * merged away), so the request must run as usual.
   */
  strings: string[];
  params: Param[];
  /** The statement's text for each set of page sizes asked so far (statementFor). */
  texts: Map<string, string[]>;
  /** Checks of variables whose value decides the text (an `orderBy`): the statement answers only while each holds. */
  guards: ((variables: Record<string, unknown>) => boolean)[];
};

/**
 * What the compiler knows of a request's variables: for each, null (or left out), an input object
 * with the shape of its fields, or a value only known at run time.
 */
export type Shape = { [name: string]: 0 | 1 | Shape };

/** The shape of a request's variables, and its text as a key. */
export function shapeOf(variables: Record<string, unknown>): { shape: Shape; key: string } {
  const shape = fieldsShape(variables);
  return { shape, key: JSON.stringify(shape) };
}

function fieldsShape(object: object): Shape {
  // No prototype: a variable named `constructor` or `__proto__` is only ever its own.
  const shape: Shape = Object.create(null);
  for (const [key, value] of Object.entries(object))
    shape[key] =
      value === null || value === undefined
        ? 0
        : typeof value === 'object' && !Array.isArray(value)
          ? fieldsShape(value)
          : 1;
  return shape;
}

/** An argument as the compiler sees it: null, written in the document, an input object, or a variable's value. */
type Value =
  | { kind: 'null' }
  | { kind: 'known'; value: unknown }
  | { kind: 'object'; fields: Map<string, Value> }
  | { kind: 'variable'; get: (variables: Record<string, unknown>) => unknown };

/** Where a parameter goes in text being built; nothing else in the text has braces (names are GraphQL names). */
const MARKER = /\{\{(\d+)\}\}/g;

/** PostgreSQL cuts longer names (NAMEDATALEN), and a response key is a column's name. */
const LONGEST_KEY = 63;

/** Statements kept per compiled read, one per set of page sizes (a client could ask for every size). */
const MAX_TEXTS = 32;

/** A statement: its text around its parameters (page sizes written in), for drizzle's `sql` tag, and the parameters' values. */
export type Statement = { strings: string[]; values: unknown[] };

/** One request's statement; null when the request must run as usual. */
export function statementFor(read: CompiledRead, variables: Record<string, unknown>): Statement | null {
  if (!read.guards.every((guard) => guard(variables))) return null;
  const values: unknown[] = [];
  const inline: unknown[] = [];
  for (const param of read.params) {
    const value = param.value(variables);
    if (value === FALLBACK) return null;
    (param.inline ? inline : values).push(value);
  }
  const key = inline.join(',');
  const known = read.texts.get(key);
  if (known) return { strings: known, values };
  // Only page sizes are written in, and each was checked to be an integer in range.
  const strings = [read.strings[0] as string];
  let at = 0;
  read.params.forEach((param, i) => {
    const next = read.strings[i + 1] as string;
    if (param.inline) strings[strings.length - 1] += `${Number(inline[at++])}${next}`;
    else strings.push(next);
  });
  if (read.texts.size < MAX_TEXTS) read.texts.set(key, strings);
  return { strings, values };
}

class NotCompilable extends Error {}
const refuse = (why: string): never => {
  throw new NotCompilable(why);
};

/** The compiled form of `operation` for variables of `shape`, or null when it must run through the resolvers. */
export function compileRead(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  shape: Shape,
): CompiledRead | null {
  if (operation.operation !== 'query' || operation.directives?.length) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const defaults = new Map<string, ValueNode | undefined>(
    (operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, v.defaultValue]),
  );
  try {
    return new Compiler(fragments, defaults, shape).root(operation.selectionSet);
  } catch (error) {
    if (error instanceof NotCompilable) return null;
    throw error;
  }
}

class Compiler {
  private readonly params: Param[] = [];
  private readonly guards: CompiledRead['guards'] = [];
  private aliases = 0;
  /** Columns a subselect must return, by its alias: what the expressions over it read. */
  private readonly wanted = new Map<string, Set<string>>();

  constructor(
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly defaults: Map<string, ValueNode | undefined>,
    private readonly shape: Shape,
  ) {}

  root(selectionSet: SelectionSetNode): CompiledRead {
    const query = readModel.Query as ObjectModel;
    const entries: Entry[] = [];
    const lookups: string[] = [];
    for (const node of this.fields(selectionSet, 'Query')) {
      const key = keyOf(node);
      const field = query.fields[node.name.value];
      if (node.name.value === '__typename') entries.push([key, `'Query'::text`]);
      else if (!field) refuse(`Query.${node.name.value}`);
      else {
        if (field.kind === 'bySlug') lookups.push(`r."${key}" is not null`);
        // No row here: the root's fields are lists and lookups, which read rows of their own.
        entries.push([key, this.field(field, node, '', [])]);
      }
    }
    // Expressions are built inside out, so parameters are numbered in the order they appear.
    // `offset 0` keeps `r` one subquery: pulled up, each lookup would run twice (data and found).
    const text =
      lookups.length === 0
        ? `select row_to_json(r)::text as data, true as found from (select ${columns(entries)}) r`
        : `select row_to_json(r)::text as data, ${lookups.join(' and ')} as found from (select ${columns(entries)} offset 0) r`;
    const strings: string[] = [];
    const params: Param[] = [];
    let from = 0;
    for (const marker of text.matchAll(MARKER)) {
      strings.push(text.slice(from, marker.index));
      params.push(this.params[Number(marker[1])] as Param);
      from = marker.index + marker[0].length;
    }
    strings.push(text.slice(from));
    return { strings, params, texts: new Map(), guards: this.guards };
  }

  private param(value: Param['value'], inline = false): string {
    this.params.push({ value, inline });
    return `{{${this.params.length - 1}}}`;
  }

  private alias(): string {
    this.aliases += 1;
    return `c${this.aliases}`;
  }

  private ref(alias: string, column: Column): string {
    this.wanted.get(alias)?.add(name(column));
    return `${alias}.${name(column)}`;
  }

  private computed(value: Computed, alias: string): string {
    return value.sql(...value.columns.map((column) => this.ref(alias, column)));
  }

  /**
   * The fields of a selection set on `typename`, fragments on the same type flattened, as
   * graphql-js collects them: a key selected twice is one field whose selections merge (validation,
   * which ran before, let both in only if they name the same field with the same arguments), and a
   * fragment spread twice is read once (fragments spreading each other twice over would otherwise
   * be 2^n paths).
   */
  private fields(selectionSet: SelectionSetNode, typename: string): FieldNode[] {
    const byKey = new Map<string, FieldNode[]>();
    this.collect(selectionSet, typename, byKey, new Set());
    return [...byKey.values()].map(merged);
  }

  private collect(
    selectionSet: SelectionSetNode,
    typename: string,
    byKey: Map<string, FieldNode[]>,
    spread: Set<string>,
  ): void {
    for (const selection of selectionSet.selections) {
      if (selection.directives?.length) refuse('directive');
      if (selection.kind === Kind.FIELD) {
        const key = keyOf(selection);
        const same = byKey.get(key);
        if (same) same.push(selection);
        else byKey.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (selection.typeCondition && selection.typeCondition.name.value !== typename)
          refuse('fragment type');
        this.collect(selection.selectionSet, typename, byKey, spread);
      } else {
        if (spread.has(selection.name.value)) continue;
        spread.add(selection.name.value);
        const fragment = this.fragments.get(selection.name.value) ?? refuse('unknown fragment');
        if (fragment.typeCondition.name.value !== typename || fragment.directives?.length)
          refuse('fragment type');
        this.collect(fragment.selectionSet, typename, byKey, spread);
      }
    }
  }

  /**
   * The entries of the selection on the row `alias` of a type. Objects of the same row and rows
   * it has one of are joined into `scope`, the FROM list of the query that reads the row, rather
   * than read by a subquery per row (PostgreSQL runs each as a plan of its own: half its time for
   * a page of 20 statements with their speakers and articles).
   */
  private object(
    model: ObjectModel,
    selectionSet: SelectionSetNode | undefined,
    alias: string,
    scope: Scope,
  ): Entry[] {
    if (!selectionSet) return refuse('no selection');
    const entries: Entry[] = [];
    for (const node of this.fields(selectionSet, model.typename)) {
      const key = keyOf(node);
      if (node.name.value === '__typename') {
        entries.push([key, `'${model.typename}'::text`]);
        continue;
      }
      const field = model.fields[node.name.value] ?? refuse(`${model.typename}.${node.name.value}`);
      entries.push([key, this.field(field, node, alias, scope)]);
    }
    return entries;
  }

  /** A JSON object of `entries` for each row of `scope`: one more item of it, and the object. */
  private joinedObject(entries: Entry[], scope: Scope): string {
    const o = this.alias();
    // A subquery without FROM in the FROM list is pulled up: no plan of its own.
    scope.push(` cross join lateral (select ${columns(entries)}) ${o}`);
    return `row_to_json(${o})`;
  }

  /** A JSON object of `entries`, their values read in `from` when given. */
  private record(entries: Entry[], from = ''): string {
    const o = this.alias();
    return `(select row_to_json(${o}) from (select ${columns(entries)}${from}) ${o})`;
  }

  private field(field: Field, node: FieldNode, alias: string, scope: Scope): string {
    const args = node.arguments ?? [];
    const allowed =
      field.kind === 'connection'
        ? ['first', 'after', ...(field.filters ? ['filter'] : []), ...(field.orderName ? ['orderBy'] : [])]
        : field.kind === 'bySlug'
          ? ['slug']
          : [];
    for (const arg of args)
      if (!allowed.includes(arg.name.value) && this.value(arg.value).kind !== 'null') refuse(arg.name.value);
    switch (field.kind) {
      case 'column':
        return this.ref(alias, field.column);
      case 'instant':
        return `to_char(${this.ref(alias, field.column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
      case 'id':
        // base64url without padding, as packages/domain/src/global-id.ts encodes (short enough that
        // PostgreSQL's base64 breaks no line).
        return `rtrim(translate(encode(convert_to('${field.typename}:' || ${this.ref(alias, field.column)}, 'UTF8'), 'base64'), '+/', '-_'), '=')`;
      case 'computed':
        return this.computed(field.value, alias);
      case 'embedded': {
        const object = this.joinedObject(
          this.object(model(field.type), node.selectionSet, alias, scope),
          scope,
        );
        return field.onlyIf ? `case when ${this.computed(field.onlyIf, alias)} then ${object} end` : object;
      }
      case 'one': {
        // The link is to a key: at most one row, and none makes the object null.
        const target = model(field.type);
        const t = this.alias();
        scope.push(` left join ${table(target)} ${t} on ${this.joins(field.link, alias, t).join(' and ')}`);
        const object = this.joinedObject(this.object(target, node.selectionSet, t, scope), scope);
        return `case when ${t}.${name(field.link.to)} is null then null else ${object} end`;
      }
      case 'many': {
        const target = model(field.type);
        const t = this.alias();
        const l = this.alias();
        const rows: Scope = [];
        const object = this.joinedObject(this.object(target, node.selectionSet, t, rows), rows);
        const conditions = [...this.joins(field.link, alias, t, l), ...(field.where ? [field.where(t)] : [])];
        const order = orderBy(field.order, (column) =>
          field.link.through && Object.values(field.link.through.table).includes(column)
            ? `${l}.${name(column)}`
            : `${t}.${name(column)}`,
        );
        return `coalesce((select array_to_json(array_agg(${object} order by ${order})) from ${this.from(field.link, target, t, l)}${rows.join('')} where ${conditions.join(' and ')}), '[]'::json)`;
      }
      case 'connection':
        return this.connection(field, node, alias);
      case 'bySlug': {
        const target = model(field.type);
        const slug = this.argument(node, 'slug');
        if (slug.kind === 'null' || slug.kind === 'object') return refuse('slug');
        const t = this.alias();
        const rows: Scope = [];
        const object = this.joinedObject(this.object(target, node.selectionSet, t, rows), rows);
        const placeholder = this.param((variables) => {
          const value = atRunTime(slug)(variables);
          return typeof value === 'string' ? value : FALLBACK;
        });
        return `(select ${object} from ${table(target)} ${t}${rows.join('')} where ${t}."slug" = ${placeholder} and ${field.where(t)})`;
      }
    }
  }

  /**
   * A forward page of rows (`first`, `after`), as the plugin's connections answer it: `nodes`,
   * `edges` with their cursors, `pageInfo` and `totalCount`. The page's rows are one subselect
   * numbered in order (`_n`), with one row past the page when `hasNextPage` is asked; what is
   * aggregated over them is one row of columns (`_0`, `_1`, …) that the connection's object reads.
   */
  private connection(field: Extract<Field, { kind: 'connection' }>, node: FieldNode, parent: string): string {
    const target = model(field.type);
    const first = this.argument(node, 'first');
    if (first.kind === 'object') refuse('first');
    const t = this.alias();
    const l = this.alias();
    const p = this.alias();
    const a = this.alias();
    this.defaultOrder(field, node);
    const conditions = [
      ...(field.link ? this.joins(field.link, parent, t, l) : []),
      field.where(t),
      ...this.filters(field, node, t),
    ].join(' and ');
    const from = field.link ? this.from(field.link, target, t, l) : `${table(target)} ${t}`;
    const after = this.after(field, node, t);
    const size = this.param((variables) => {
      const value = atRunTime(first)(variables);
      if (value === undefined || value === null) return PAGE_SIZE.default;
      return Number.isInteger(value) &&
        (value as number) >= PAGE_SIZE.min &&
        (value as number) <= PAGE_SIZE.max
        ? value
        : FALLBACK;
    }, true);
    this.wanted.set(p, new Set(field.order.map(([column]) => name(column))));
    const onPage = `filter (where ${p}._n <= ${size})`;
    const cursor = () => cursorOf(field.order, p);
    /** Aggregates over the page's rows, and what each row joins to build its objects. */
    const aggregates: string[] = [];
    const rows: Scope = [];
    const aggregate = (expression: string) => {
      aggregates.push(`${expression} as _${aggregates.length}`);
      return `${a}._${aggregates.length - 1}`;
    };
    /** A JSON array of an object per row of the page, in order. */
    const perRow = (entries: Entry[]) => {
      const object = this.joinedObject(entries, rows);
      return aggregate(
        `coalesce(array_to_json(array_agg(${object} order by ${p}._n) ${onPage}), '[]'::json)`,
      );
    };
    let pastPage = false;
    const entries: Entry[] = [];
    for (const selected of this.fields(node.selectionSet ?? refuse('no selection'), 'connection')) {
      const key = keyOf(selected);
      if (selected.arguments?.length) refuse('argument');
      switch (selected.name.value) {
        case 'totalCount':
          entries.push([key, `(select count(*)::int from ${from} where ${conditions})`]);
          break;
        case 'nodes':
          entries.push([key, perRow(this.object(target, selected.selectionSet, p, rows))]);
          break;
        case 'edges': {
          const edge: Entry[] = [];
          for (const part of this.fields(selected.selectionSet ?? refuse('no selection'), 'edge')) {
            const partKey = keyOf(part);
            if (part.name.value === 'cursor') edge.push([partKey, cursor()]);
            else if (part.name.value === 'node')
              edge.push([partKey, this.joinedObject(this.object(target, part.selectionSet, p, rows), rows)]);
            else refuse(`edge.${part.name.value}`);
          }
          entries.push([key, perRow(edge)]);
          break;
        }
        case 'pageInfo': {
          const info: Entry[] = [];
          for (const part of this.fields(selected.selectionSet ?? refuse('no selection'), 'PageInfo')) {
            const partKey = keyOf(part);
            switch (part.name.value) {
              case 'hasNextPage':
                pastPage = true;
                info.push([partKey, aggregate(`count(*) > ${size}`)]);
                break;
              case 'hasPreviousPage':
                // As the plugin answers a forward page: true after a cursor, false from the start.
                info.push([partKey, after ? 'true' : 'false']);
                break;
              case 'startCursor':
                info.push([partKey, aggregate(`(array_agg(${cursor()} order by ${p}._n) ${onPage})[1]`)]);
                break;
              case 'endCursor':
                info.push([
                  partKey,
                  aggregate(`(array_agg(${cursor()} order by ${p}._n desc) ${onPage})[1]`),
                ]);
                break;
              case '__typename':
                info.push([partKey, `'PageInfo'::text`]);
                break;
              default:
                refuse(`PageInfo.${part.name.value}`);
            }
          }
          entries.push([key, this.record(info)]);
          break;
        }
        default:
          // A connection's `__typename` names a type per field; it runs as usual.
          refuse(`connection.${selected.name.value}`);
      }
    }
    if (aggregates.length === 0) return this.record(entries);
    const order = (alias: string) => orderBy(field.order, (c) => `${alias}.${name(c)}`);
    const rowColumns = [...(this.wanted.get(p) ?? [])].map((column) => `${t}.${column}`).join(', ');
    const onward = after ? `${conditions} and ${after}` : conditions;
    const page = `(select ${rowColumns}, row_number() over (order by ${order(t)}) as _n from ${from} where ${onward} order by ${order(t)} limit ${size}${pastPage ? ' + 1' : ''}) ${p}`;
    return this.record(entries, ` from (select ${aggregates.join(', ')} from ${page}${rows.join('')}) ${a}`);
  }

  /** `orderBy` compiles only as the order the read model knows (or null, its default). */
  private defaultOrder(field: Extract<Field, { kind: 'connection' }>, node: FieldNode) {
    const order = this.argument(node, 'orderBy');
    if (order.kind === 'null') return;
    if (order.kind === 'known' && order.value === field.orderName) return;
    if (order.kind !== 'variable') refuse('orderBy');
    const given = atRunTime(order);
    this.guards.push((variables) => given(variables) === field.orderName);
  }

  /**
   * The `filter` fields that name a node, each a condition on the row; any other field must be
   * null, and an ID that is not one of the named type's runs as usual (which says what is wrong
   * with it).
   */
  private filters(field: Extract<Field, { kind: 'connection' }>, node: FieldNode, t: string): string[] {
    const filter = this.argument(node, 'filter');
    if (filter.kind === 'null') return [];
    if (filter.kind !== 'object' || !field.filters) return refuse('filter');
    const conditions: string[] = [];
    for (const [key, given] of filter.fields) {
      if (given.kind === 'null') continue;
      const spec = Object.hasOwn(field.filters, key) ? field.filters[key] : undefined;
      if (!spec || given.kind === 'object') return refuse(`filter.${key}`);
      const id = this.param((variables) => {
        const value = atRunTime(given)(variables);
        const decoded = typeof value === 'string' ? decodeGlobalId(value) : null;
        return decoded && decoded.typename === spec.typename ? decoded.id : FALLBACK;
      });
      conditions.push(spec.condition(t, `${id}::uuid`));
    }
    return conditions;
  }

  /**
   * The condition that starts a page after the cursor `after`, as a row comparison in the order's
   * direction (an index condition); null without one. Only a cursor as the connections write it
   * (and this statement does) compiles; any other runs as usual, which tells what is wrong with it.
   */
  private after(field: Extract<Field, { kind: 'connection' }>, node: FieldNode, t: string): string | null {
    const after = this.argument(node, 'after');
    if (after.kind === 'null') return null;
    if (after.kind === 'object') return refuse('after');
    const [[, direction] = []] = field.order;
    if (field.order.some(([, d]) => d !== direction)) return refuse('a cursor on a mixed order');
    const cursor = atRunTime(after);
    const values = field.order.map(([column], i) => {
      const type = SQL_TYPES[column.columnType] ?? refuse(`a cursor on ${column.columnType}`);
      return `${this.param((variables) => cursorValues(cursor(variables), field.order)?.[i] ?? FALLBACK)}::${type}`;
    });
    const columns = field.order.map(([column]) => `${t}.${name(column)}`);
    return `(${columns.join(', ')}) ${direction === 'desc' ? '<' : '>'} (${values.join(', ')})`;
  }

  /** The joins tying the target row `t` (and the link row `l`) to the parent row. */
  private joins(link: Link, parent: string, t: string, l?: string): string[] {
    if (!link.through) return [`${t}.${name(link.to)} = ${this.ref(parent, link.from)}`];
    return [`${l}.${name(link.through.from)} = ${this.ref(parent, link.from)}`];
  }

  private from(link: Link, target: ObjectModel, t: string, l: string): string {
    if (!link.through) return `${table(target)} ${t}`;
    return `${tableName(link.through.table)} ${l} join ${table(target)} ${t} on ${t}.${name(link.to)} = ${l}.${name(link.through.to)}`;
  }

  /** An argument of a field as this shape of variables gives it; left out, it is null. */
  private argument(node: FieldNode, argument: string): Value {
    const arg = node.arguments?.find((a) => a.name.value === argument);
    return arg ? this.value(arg.value) : NULL;
  }

  /** A value in the document: written out, or a variable (with its default when left out), as the shape has it. */
  private value(node: ValueNode): Value {
    switch (node.kind) {
      case Kind.VARIABLE: {
        const variable = node.name.value;
        const given = this.shape[variable];
        if (given === undefined) {
          const fallback = this.defaults.get(variable);
          return fallback ? this.value(fallback) : NULL;
        }
        if (given === 0) return NULL;
        const get = (variables: Record<string, unknown>) => variables[variable];
        if (given === 1) return { kind: 'variable', get };
        return {
          kind: 'object',
          fields: new Map(Object.entries(given).map(([key, inner]) => [key, this.nested(inner, get, key)])),
        };
      }
      case Kind.OBJECT:
        return {
          kind: 'object',
          fields: new Map(node.fields.map((f) => [f.name.value, this.value(f.value)])),
        };
      case Kind.INT:
        return { kind: 'known', value: Number.parseInt(node.value, 10) };
      case Kind.STRING:
      case Kind.ENUM:
        return { kind: 'known', value: node.value };
      case Kind.NULL:
        return NULL;
      default:
        return refuse('argument value');
    }
  }

  /** A field of an input object given as a variable, as the shape has it. */
  private nested(
    shape: 0 | 1 | Shape,
    parent: (variables: Record<string, unknown>) => unknown,
    key: string,
  ): Value {
    const get = (variables: Record<string, unknown>) =>
      (parent(variables) as Record<string, unknown> | null | undefined)?.[key];
    if (shape === 0) return NULL;
    if (shape === 1) return { kind: 'variable', get };
    return {
      kind: 'object',
      fields: new Map(Object.entries(shape).map(([inner, s]) => [inner, this.nested(s, get, inner)])),
    };
  }
}

const NULL: Value = { kind: 'null' };

/** A value's reader for each request (an input object has none: it is read by field). */
function atRunTime(value: Value): (variables: Record<string, unknown>) => unknown {
  switch (value.kind) {
    case 'null':
      return () => null;
    case 'known':
      return () => value.value;
    case 'variable':
      return value.get;
    case 'object':
      return refuse('an input object');
  }
}

/** The SQL types of the columns a cursor can hold, by drizzle's column type. */
const SQL_TYPES: Record<string, string> = {
  PgInteger: 'int',
  PgDateString: 'date',
  PgTimestampString: 'timestamptz',
  PgUUID: 'uuid',
  PgText: 'text',
};

/** The tag of a column's value in a cursor chunk: integers are numbers, the rest strings in Chancery's rows. */
const chunkTag = (column: Column) => (column.columnType === 'PgInteger' ? 'N:' : 'S:');
const INTEGER = /^-?\d{1,9}$/;

/**
 * The values of a cursor as cursorOf writes it (`DC:` and one chunk, or `DC:T:` and a JSON array
 * of one per column of `order`), or null for anything else: written another way, it runs as usual.
 */
function cursorValues(cursor: unknown, order: Order): string[] | null {
  const count = order.length;
  if (typeof cursor !== 'string') return null;
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  // Only the exact encoding (Node's decoder skips what is not base64).
  if (Buffer.from(text, 'utf8').toString('base64') !== cursor || !text.startsWith('DC:')) return null;
  let chunks: unknown;
  if (count === 1) chunks = [text.slice(3)];
  else if (!text.startsWith('DC:T:')) return null;
  else {
    try {
      chunks = JSON.parse(text.slice(5));
    } catch {
      return null;
    }
  }
  if (!Array.isArray(chunks) || chunks.length !== count) return null;
  if (count > 1 && JSON.stringify(chunks) !== text.slice(5)) return null;
  const values: string[] = [];
  for (const [i, chunk] of chunks.entries()) {
    const [column] = order[i] as Order[number];
    const tag = chunkTag(column);
    if (typeof chunk !== 'string' || !chunk.startsWith(tag)) return null;
    const value = chunk.slice(2);
    if (tag === 'N:' && !INTEGER.test(value)) return null;
    values.push(value);
  }
  return values;
}

function model(typename: string): ObjectModel {
  return readModel[typename] ?? refuse(typename);
}

function table(target: ObjectModel): string {
  return tableName(target.table ?? refuse(`${target.typename} has no table`));
}

/**
 * A row's cursor as @pothos/plugin-drizzle writes it: base64 of `DC:` and the tagged value of its
 * one order column, or `DC:T:` and a JSON array of them (`@pothos/core` utils/cursors.ts). Dates,
 * timestamps and uuids are strings in Chancery's rows, so each is an `S:` chunk (an integer an
 * `N:` one); a timestamp as the driver hands it over, PostgreSQL's text of it in the session's
 * time zone.
 */
function cursorOf(order: Order, alias: string): string {
  const chunks = order.map(([column]) => {
    const value = `${alias}.${name(column)}`;
    switch (column.columnType) {
      case 'PgDateString':
        return `'S:' || to_char(${value}, 'YYYY-MM-DD')`;
      case 'PgTimestampString':
      case 'PgUUID':
      case 'PgText':
        return `'S:' || ${value}::text`;
      case 'PgInteger':
        return `'N:' || ${value}::text`;
      default:
        return refuse(`a cursor on ${column.columnType}`);
    }
  });
  const payload =
    chunks.length === 1
      ? `'DC:' || ${chunks[0]}`
      : `'DC:T:[' || ${chunks.map((chunk) => `to_json(${chunk})::text`).join(" || ',' || ")} || ']'`;
  // PostgreSQL's base64 breaks lines every 76 characters; Node's does not.
  return `translate(encode(convert_to(${payload}, 'UTF8'), 'base64'), E'\\n', '')`;
}

function orderBy(order: Order, ref: (column: Column) => string): string {
  return order.map(([column, direction]) => `${ref(column)} ${direction}`).join(', ');
}

/** The joins and one-row subqueries that follow the table in the FROM list reading a row, in order. */
type Scope = string[];

/** A field of a JSON object being built: its key in the response and the SQL of its value. */
type Entry = [key: string, value: string];

/** Fields of one key as one field: the first, with the selections of them all in order. */
function merged(nodes: FieldNode[]): FieldNode {
  const [first] = nodes as [FieldNode, ...FieldNode[]];
  if (nodes.length === 1 || !first.selectionSet) return first;
  return {
    ...first,
    selectionSet: {
      ...first.selectionSet,
      selections: nodes.flatMap((node) => node.selectionSet?.selections ?? []),
    },
  };
}

/** The key a field has in the response: its alias or its name (GraphQL names need no quoting). */
function keyOf(node: FieldNode): string {
  const key = (node.alias ?? node.name).value;
  return key.length <= LONGEST_KEY ? key : refuse(`a key longer than ${LONGEST_KEY} characters`);
}

/** The select list whose row row_to_json writes as the object of `entries`. */
function columns(entries: Entry[]): string {
  return entries.map(([key, value]) => `${value} as "${key}"`).join(', ');
}
