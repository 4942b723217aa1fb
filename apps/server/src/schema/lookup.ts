import { badInput } from '@chancery/domain/errors';
import { parseNodeId } from '../global-id.ts';

/** `type(id: ID, slug: String)` root fields take exactly one of the two. */
export function findOneBySlugOrId<T>(
  args: { id?: string | null; slug?: string | null },
  typename: string,
  find: (where: { id: string } | { slug: string }) => Promise<T | undefined>,
): Promise<T | null> {
  if ((args.id == null) === (args.slug == null)) {
    throw badInput(`Pass exactly one of \`id\` or \`slug\` to look up a ${typename}.`);
  }
  const where = args.id != null ? { id: parseNodeId(args.id, typename) } : { slug: args.slug as string };
  return find(where).then((row) => row ?? null);
}
