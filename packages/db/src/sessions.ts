// Editor sessions (migration 0008): what the web app holds instead of an API token. A session id is
// 32 random bytes in base64url, handed to the browser once (in an HttpOnly cookie); only its
// SHA-256 is stored, as for tokens. A session acts with its token's role for as long as the token
// is active and the session has not expired or been ended.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { ChanceryDb } from './database.ts';
import { rows } from './repositories/sql.ts';
import { apiTokens, editorSessions } from './schema.ts';
import type { VerifiedToken } from './tokens.ts';

const SESSION_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type EditorSession = VerifiedToken & { expiresAt: string };

const hashSession = (sessionId: string) => createHash('sha256').update(sessionId, 'utf8').digest('hex');

/** Whether a string has the shape of a session id (it may still be unknown, ended or expired). */
export const isWellFormedSessionId = (sessionId: string) => SESSION_PATTERN.test(sessionId);

/**
 * Opens a session for a verified token, lasting `ttlSeconds`. Returns the session id, which is
 * never stored. Sessions that have expired are deleted on the way.
 */
export async function openSession(
  db: ChanceryDb,
  options: { token: VerifiedToken; ttlSeconds: number },
): Promise<{ sessionId: string; session: EditorSession }> {
  const sessionId = randomBytes(32).toString('base64url');
  await db.delete(editorSessions).where(sql`${editorSessions.expiresAt} <= now()`);
  const [created] = await rows<{ expiresAt: string }>(
    db,
    sql`insert into ${editorSessions} (session_hash, token_id, expires_at)
        values (${hashSession(sessionId)}, ${options.token.id}, now() + make_interval(secs => ${options.ttlSeconds}))
        returning to_json(expires_at) #>> '{}' as "expiresAt"`,
  );
  return { sessionId, session: { ...options.token, expiresAt: created!.expiresAt } };
}

/** The live session an id names (not expired, its token not revoked), or null. */
export async function findSession(db: ChanceryDb, sessionId: string): Promise<EditorSession | null> {
  if (!isWellFormedSessionId(sessionId)) return null;
  const [found] = await rows<EditorSession>(
    db,
    sql`select t.id, t.name, t.role, to_json(s.expires_at) #>> '{}' as "expiresAt"
        from ${editorSessions} s join ${apiTokens} t on t.id = s.token_id
        where s.session_hash = ${hashSession(sessionId)} and s.expires_at > now() and t.revoked_at is null`,
  );
  return found ?? null;
}

/** Ends a session for good (signing out). Whether there was one to end. */
export async function endSession(db: ChanceryDb, sessionId: string): Promise<boolean> {
  if (!isWellFormedSessionId(sessionId)) return false;
  const ended = await db
    .delete(editorSessions)
    .where(sql`${editorSessions.sessionHash} = ${hashSession(sessionId)}`)
    .returning({ id: editorSessions.id });
  return ended.length > 0;
}
