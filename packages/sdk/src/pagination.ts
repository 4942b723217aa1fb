import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getOperationAST,
  Kind,
  type SelectionSetNode,
} from 'graphql';

// Which connection of an operation does `paginate` follow? The one whose `after` argument is the
// operation's `$after` variable: the codegen plugin records it for the SDK's operations, and the
// client finds it the same way in any other document it is handed (core.ts, which loads this
// module, and graphql with it, only for a syntax tree).

/** Response keys (aliases included) from the root to the field that takes `after: $after`. */
export function connectionPath(document: DocumentNode, operationName?: string): string[] | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return search(operation.selectionSet, [], fragments, new Set());
}

function search(
  selectionSet: SelectionSetNode,
  path: string[],
  fragments: Map<string, FragmentDefinitionNode>,
  visiting: Set<string>,
): string[] | null {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const takesAfter = selection.arguments?.some(
        (argument) =>
          argument.name.value === 'after' &&
          argument.value.kind === Kind.VARIABLE &&
          argument.value.name.value === 'after',
      );
      if (takesAfter) return [...path, key];
      if (selection.selectionSet) {
        const found = search(selection.selectionSet, [...path, key], fragments, visiting);
        if (found) return found;
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const found = search(selection.selectionSet, path, fragments, visiting);
      if (found) return found;
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      const found = search(fragment.selectionSet, path, fragments, visiting);
      visiting.delete(name);
      if (found) return found;
    }
  }
  return null;
}
