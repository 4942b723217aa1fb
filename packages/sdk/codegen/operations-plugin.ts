// A graphql-codegen plugin that writes src/generated/operations.ts: one entry per operation in
// src/operations/*.graphql, which createChanceryClient turns into a typed method named after it
// (`query TreatyProvision` → `client.treatyProvision`). Each entry carries the document text the
// client sends and its sha256 hash, printed and hashed exactly as the client preset prints and
// hashes persisted documents (a test holds them equal to persisted-documents.json), and, for
// operations with an `$after` variable, the path of the connection `client.paginate` follows.
// `documentsPreset` writes the same entries without the syntax tree, one file per operation
// (src/generated/documents/<Name>.ts exporting <Name>Document), so that a bundler keeps only the
// operations an application imports, each in the chunk that runs it.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { PluginFunction, Types } from '@graphql-codegen/plugin-helpers';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type Token,
  TokenKind,
  visit,
} from 'graphql';
import { connectionPath } from '../src/pagination.ts';

/** Client methods that are not operations; an operation may not take their names. */
const RESERVED_METHODS = new Set(['request', 'paginate', 'subscribe', 'dispose']);

type Operation = { node: OperationDefinitionNode; name: string; location: string };

/** No `operation`: the table of every operation (operations.ts); with it, that one's document file. */
type PluginConfig = { operation?: string };

/**
 * One output per operation, each written by this plugin with `{ operation }`: a file per operation
 * in the preset's directory, so no module holds two operations a bundler might want apart.
 */
export const documentsPreset: Types.OutputPreset = {
  buildGeneratesSection: (options) =>
    options.documents
      .flatMap((file) => file.document?.definitions ?? [])
      .flatMap((definition) =>
        definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : [],
      )
      .map((operation) => ({
        filename: join(options.baseOutputDir, `${operation}.ts`),
        plugins: [{ 'chancery-operations': { operation } }],
        pluginMap: options.pluginMap,
        schema: options.schema,
        schemaAst: options.schemaAst,
        documents: options.documents,
        config: options.config,
      })),
};

export const plugin: PluginFunction<PluginConfig> = (schema, documents, config) => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: Operation[] = [];
  for (const file of documents) {
    for (const definition of file.document?.definitions ?? []) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const name = definition.name?.value;
      if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
        throw new Error(
          `${file.location}: every operation needs a PascalCase name (query TreatyProvision { … }); ` +
            `the client method is named after it (client.treatyProvision).`,
        );
      }
      operations.push({ node: definition, name, location: file.location ?? '?' });
    }
  }
  operations.sort((a, b) => a.name.localeCompare(b.name));

  const seen = new Map<string, string>();
  const entries = operations.map((operation) => {
    const method = operation.name[0]!.toLowerCase() + operation.name.slice(1);
    if (RESERVED_METHODS.has(method)) {
      throw new Error(
        `${operation.location}: operation ${operation.name} would hide client.${method}; rename it.`,
      );
    }
    const clash = seen.get(method);
    if (clash)
      throw new Error(`${operation.location}: operation ${operation.name} is also defined in ${clash}.`);
    seen.set(method, operation.location);

    const executable: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [operation.node, ...fragmentsUsedBy(operation.node, fragments, operation.location)],
    };
    const text = printExecutableGraphQLDocument(executable);
    const hash = createHash('sha256').update(text).digest('hex');
    const connection = connectionPath(executable);
    if (connection) checkConnection(schema, operation, connection, fragments);

    const comment = leadingComment(operation.node);
    const doc = comment ? `/** ${comment.replaceAll('*/', '*\\/')} */` : null;
    if (config.operation) {
      if (operation.name !== config.operation) return null;
      const type = operation.node.operation;
      const types = `${operation.name}${type[0]!.toUpperCase()}${type.slice(1)}`;
      const connectionType = connection ? `readonly ${JSON.stringify(connection)}` : 'null';
      return [
        '// Generated by codegen/operations-plugin.ts from src/operations/*.graphql: do not edit.',
        '// The operation as the client sends it, without a syntax tree: run it with',
        `// \`createChanceryCoreClient(…).request(${operation.name}Document, …)\` (@chancery/sdk/core).`,
        "import type { SdkDocument } from '../../core.ts';",
        `import type { ${types}, ${types}Variables } from '../graphql.ts';`,
        '',
        doc,
        `export const ${operation.name}Document: SdkDocument<${types}, ${types}Variables, ${JSON.stringify(type)}, ${connectionType}> = {`,
        `  name: ${JSON.stringify(operation.name)},`,
        `  type: ${JSON.stringify(type)},`,
        `  hash: ${JSON.stringify(hash)},`,
        `  text: ${JSON.stringify(text)},`,
        `  connection: ${JSON.stringify(connection)},`,
        '};',
        '',
      ]
        .filter((line) => line !== null)
        .join('\n');
    }
    return [
      doc ? `  ${doc}` : null,
      `  ${method}: {`,
      `    name: ${JSON.stringify(operation.name)},`,
      `    type: ${JSON.stringify(operation.node.operation)} as const,`,
      `    document: ${operation.name}Document,`,
      `    hash: ${JSON.stringify(hash)},`,
      `    text: ${JSON.stringify(text)},`,
      `    connection: ${connection ? `${JSON.stringify(connection)} as const` : 'null'},`,
      `  },`,
    ]
      .filter((line) => line !== null)
      .join('\n');
  });

  if (config.operation) {
    const file = entries.find((entry) => entry !== null);
    if (!file) throw new Error(`No operation is named ${config.operation}.`);
    return file;
  }

  return [
    '// Generated by codegen/operations-plugin.ts from src/operations/*.graphql: do not edit.',
    '// Run `npm run generate` after changing an operation or the schema.',
    `import { ${operations.map((o) => `${o.name}Document`).join(', ')} } from './graphql.ts';`,
    '',
    'export const operations = {',
    ...entries,
    '};',
    '',
  ].join('\n');
};

function fragmentsUsedBy(
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  location: string,
): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (used.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`${location}: fragment ${name} is not defined in src/operations.`);
        used.set(name, fragment);
        pending.push(fragment);
      },
    });
  }
  return [...used.values()];
}

/** The `#` comment lines right above an operation, joined: they document the client method. */
function leadingComment(node: OperationDefinitionNode): string | null {
  const lines: string[] = [];
  let token: Token | null | undefined = node.loc?.startToken.prev;
  let line = node.loc?.startToken.line ?? 0;
  while (token && token.kind === TokenKind.COMMENT && token.line === line - 1) {
    lines.unshift((token.value ?? '').trim());
    line = token.line;
    token = token.prev;
  }
  return lines.length > 0 ? lines.join(' ') : null;
}

/**
 * `client.paginate` follows `pageInfo.endCursor` while `pageInfo.hasNextPage`: the field taking
 * `after: $after` must be a connection reached without crossing a list, with both selected.
 */
function checkConnection(
  schema: GraphQLSchema,
  operation: Operation,
  path: string[],
  fragments: Map<string, FragmentDefinitionNode>,
): void {
  const fail: (why: string) => never = (why) => {
    throw new Error(
      `${operation.location}: ${operation.name} takes $after at ${path.join('.')}, but ${why}.`,
    );
  };
  let parentType: GraphQLObjectType | GraphQLInterfaceType | null | undefined = schema.getRootType(
    operation.node.operation,
  );
  let selectionSets: SelectionSetNode[] = [operation.node.selectionSet];
  for (const [index, key] of path.entries()) {
    const fieldNodes = selectionSets.flatMap((set) => fieldsWithKey(set, key, fragments));
    const fieldName = fieldNodes[0]?.name.value;
    const field: GraphQLField<unknown, unknown> | undefined =
      parentType && fieldName ? parentType.getFields()[fieldName] : undefined;
    if (!field) fail('no field of that name is known to the schema');
    if (isListType(getNullableType(field.type)) && index < path.length - 1)
      fail(`${field.name} is a list, so there is no single next page to follow`);
    const named: GraphQLNamedType = getNamedType(field.type);
    parentType = isObjectType(named) || isInterfaceType(named) ? named : undefined;
    selectionSets = fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  }
  if (!parentType?.getFields().pageInfo) fail(`${parentType?.name ?? 'it'} is not a connection`);
  const pageInfo = selectionSets.flatMap((set) => fieldsWithKey(set, 'pageInfo', fragments));
  const pageInfoSets = pageInfo.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const needed of ['hasNextPage', 'endCursor']) {
    if (!pageInfoSets.some((set) => fieldsWithKey(set, needed, fragments).length > 0))
      fail(`it does not select pageInfo { ${needed} }`);
  }
}

function fieldsWithKey(
  selectionSet: SelectionSetNode,
  key: string,
  fragments: Map<string, FragmentDefinitionNode>,
): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD)
      return (selection.alias?.value ?? selection.name.value) === key ? [selection] : [];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsWithKey(selection.selectionSet, key, fragments);
    const fragment = fragments.get(selection.name.value);
    return fragment ? fieldsWithKey(fragment.selectionSet, key, fragments) : [];
  });
}
