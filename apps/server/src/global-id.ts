import { badInput } from '@chancery/domain/errors';
import { decodeGlobalId as decodeOrNull, encodeGlobalId as encode } from '@chancery/domain/global-id';

// The GraphQL side of global IDs: the codec lives in domain; here a bad ID becomes BAD_USER_INPUT.

export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return encode(typename, String(id));
}

export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const decoded = decodeOrNull(globalId);
  if (!decoded) {
    throw badInput(
      `Invalid ID ${JSON.stringify(globalId.slice(0, 100))}: expected an opaque ID returned by this API (the \`id\` field of a node).`,
    );
  }
  return decoded;
}

/** Decodes a global ID that must name a node of `typename`; returns the database id. */
export function parseNodeId(globalId: string, typename: string): string {
  const decoded = decodeGlobalId(globalId);
  if (decoded.typename !== typename) {
    throw badInput(`ID ${JSON.stringify(globalId)} belongs to a ${decoded.typename}, not a ${typename}.`);
  }
  return decoded.id;
}
