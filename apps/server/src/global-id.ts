import { badInput } from '@chancery/domain/errors';

// Global IDs are opaque to clients: base64url of "Typename:uuid".
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TYPENAME = /^[A-Z][A-Za-z]*$/;

export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64url');
}

export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(globalId)
    ? Buffer.from(globalId, 'base64url').toString('utf8')
    : '';
  const separator = decoded.indexOf(':');
  const typename = decoded.slice(0, separator);
  const id = decoded.slice(separator + 1);
  if (separator < 0 || !TYPENAME.test(typename) || !UUID.test(id)) {
    throw badInput(
      `Invalid ID ${JSON.stringify(globalId.slice(0, 100))}: expected an opaque ID returned by this API (the \`id\` field of a node).`,
    );
  }
  return { typename, id };
}

/** Decodes a global ID that must name a node of `typename`; returns the database id. */
export function parseNodeId(globalId: string, typename: string): string {
  const decoded = decodeGlobalId(globalId);
  if (decoded.typename !== typename) {
    throw badInput(`ID ${JSON.stringify(globalId)} belongs to a ${decoded.typename}, not a ${typename}.`);
  }
  return decoded.id;
}
