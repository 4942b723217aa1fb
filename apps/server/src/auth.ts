// Who is asking: `Authorization: Bearer <token>` resolved to a Viewer. No header is an anonymous
// reader; a header that does not carry a valid, active token is refused outright (401), even for
// reads, so a mistyped or revoked token never quietly turns into anonymous access.
// Without the header, an editor session's cookie (http/session.ts) stands for its token, on
// requests no other site can make. An ended or expired session reads anonymously: the cookie
// comes with every page of the site, the reader's too, and is no explicit credential.
import { HeaderMap } from '@apollo/server';
import type { ChanceryDb } from '@chancery/db/database';
import { findSession } from '@chancery/db/sessions';
import { TOKEN_PREFIX, verifyToken } from '@chancery/db/tokens';
import { DomainError } from '@chancery/domain/errors';
import { ANONYMOUS, canWrite, isAdmin, type Viewer } from '@chancery/domain/viewer';
import { GraphQLError } from 'graphql';
import type { Context } from './context.ts';
import { cookieRequestRefusal, sessionIdFromCookies } from './http/session.ts';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer realm="chancery"']]) },
    },
  });
}

/** The viewer a request's headers name; throws UNAUTHENTICATED (HTTP 401) for a bad credential. */
export async function viewerFromHeaders(
  db: ChanceryDb,
  headers: { get(name: string): string | undefined },
): Promise<Viewer> {
  const header = headers.get('authorization');
  if (header === undefined) return viewerFromSession(db, headers);
  const bearer = BEARER.exec(header.trim());
  if (!bearer) {
    throw unauthenticated(
      'The Authorization header must be `Bearer <token>`; leave the header out to read as an anonymous reader.',
    );
  }
  const token = bearer[1] as string;
  if (!token.startsWith(TOKEN_PREFIX) || token.length !== TOKEN_PREFIX.length + 43) {
    throw unauthenticated(
      `That is not a Chancery API token (they start with ${TOKEN_PREFIX} and are ${TOKEN_PREFIX.length + 43} characters long); check it was copied whole.`,
    );
  }
  const found = await verifyToken(db, token);
  if (!found) {
    throw unauthenticated('The API token is unknown or has been revoked; ask an admin for a new one.');
  }
  return { role: found.role, tokenName: found.name };
}

/** The viewer a session cookie names; anonymous without one (or with an ended one). */
async function viewerFromSession(
  db: ChanceryDb,
  headers: { get(name: string): string | undefined },
): Promise<Viewer> {
  const sessionId = sessionIdFromCookies(headers.get('cookie'));
  if (sessionId === null) return ANONYMOUS;
  const refusal = cookieRequestRefusal(headers);
  if (refusal) throw new GraphQLError(refusal, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
  const session = await findSession(db, sessionId);
  return session ? { role: session.role, tokenName: session.name } : ANONYMOUS;
}

/** Mutations need an editor or an admin. */
export function requireWriter(ctx: Context): { db: ChanceryDb; tokenName: string | null } {
  assertRole(ctx.viewer, canWrite, 'an editor or admin');
  return { db: ctx.db, tokenName: ctx.viewer.tokenName };
}

/** Purging, and managing tokens, need an admin. */
export function requireAdmin(ctx: Context): { db: ChanceryDb; tokenName: string | null } {
  assertRole(ctx.viewer, isAdmin, 'an admin');
  return { db: ctx.db, tokenName: ctx.viewer.tokenName };
}

function assertRole(viewer: Viewer, allowed: (viewer: Viewer) => boolean, who: string): void {
  if (allowed(viewer)) return;
  if (viewer.role === 'anonymous') {
    throw new DomainError(
      'UNAUTHENTICATED',
      `This needs ${who} token: send it as \`Authorization: Bearer <token>\` (\`chancery token create\` makes one).`,
    );
  }
  throw new DomainError(
    'FORBIDDEN',
    `The token ${JSON.stringify(viewer.tokenName)} has the ${viewer.role} role; this needs ${who} token. Nothing was changed.`,
  );
}
