// API tokens: `chy_` and 32 random bytes in base64url. Only the SHA-256 of a token is stored, so a
// leaked database does not leak working tokens; the token itself is shown once, when created.
import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '@chancery/domain/errors';
import { TOKEN_ROLES, type TokenRole } from '@chancery/domain/viewer';
import { asc, sql } from 'drizzle-orm';
import type { ChanceryDb } from './database.ts';
import { postgresError, rows } from './repositories/sql.ts';
import { apiTokens } from './schema.ts';

export const TOKEN_PREFIX = 'chy_';
const TOKEN_PATTERN = /^chy_[A-Za-z0-9_-]{43}$/;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NAME_RULE =
  'a token name is 1 to 64 letters, digits, dots, hyphens or underscores, starting with a letter or digit';

export type TokenRecord = {
  id: string;
  name: string;
  role: TokenRole;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export type VerifiedToken = { id: string; name: string; role: TokenRole };

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export const generateToken = () => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

/** Whether a string has the shape of a Chancery token (it may still be unknown or revoked). */
export const isWellFormedToken = (token: string) => TOKEN_PATTERN.test(token);

export async function createToken(
  db: ChanceryDb,
  options: { name: string; role: string },
): Promise<{ token: string; record: TokenRecord }> {
  const name = options.name.trim();
  if (!NAME_PATTERN.test(name)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Invalid token name ${JSON.stringify(options.name)}: ${NAME_RULE}.`,
    );
  }
  if (!(TOKEN_ROLES as readonly string[]).includes(options.role)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Invalid role ${JSON.stringify(options.role)}: choose one of ${TOKEN_ROLES.join(', ')}.`,
    );
  }
  const token = generateToken();
  try {
    const [record] = await db
      .insert(apiTokens)
      .values({ name, role: options.role as TokenRole, tokenHash: hashToken(token) })
      .returning(recordColumns);
    return { token, record: record as TokenRecord };
  } catch (error) {
    if (postgresError(error)?.code === '23505') {
      throw new DomainError(
        'CONFLICT',
        `A token named ${JSON.stringify(name)} already exists; revoke it first (chancery token revoke ${name}) or choose another name.`,
      );
    }
    throw error;
  }
}

/** Every token, active and revoked, oldest first. Never the tokens themselves. */
export async function listTokens(db: ChanceryDb): Promise<TokenRecord[]> {
  return (await db
    .select(recordColumns)
    .from(apiTokens)
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.name))) as TokenRecord[];
}

/** Revokes the active token of that name; requests carrying it are refused from then on. */
export async function revokeToken(db: ChanceryDb, name: string): Promise<TokenRecord> {
  const [record] = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(sql`${apiTokens.name} = ${name} and ${apiTokens.revokedAt} is null`)
    .returning(recordColumns);
  if (!record) {
    throw new DomainError(
      'NOT_FOUND',
      `No active token is named ${JSON.stringify(name)}; \`chancery token list\` shows the tokens and their names.`,
    );
  }
  return record as TokenRecord;
}

/**
 * The active token a request presents, or null. One statement, which also notes when the token
 * was last used (at most once a minute, so reads do not turn into a write per request).
 */
export async function verifyToken(db: ChanceryDb, token: string): Promise<VerifiedToken | null> {
  if (!isWellFormedToken(token)) return null;
  const [found] = await rows<VerifiedToken>(
    db,
    sql`with found as (
      select id, name, role, last_used_at from ${apiTokens}
      where token_hash = ${hashToken(token)} and revoked_at is null
    ), touched as (
      update ${apiTokens} set last_used_at = now()
      where id in (select id from found where last_used_at is null or last_used_at < now() - interval '1 minute')
      returning id
    )
    select id, name, role from found`,
  );
  return found ?? null;
}

const recordColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  role: apiTokens.role,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};
