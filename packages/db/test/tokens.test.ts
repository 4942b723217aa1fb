import { DomainError } from '@chancery/domain/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testEngines } from '../src/testing.ts';
import {
  createToken,
  hashToken,
  isWellFormedToken,
  listTokens,
  revokeToken,
  verifyToken,
} from '../src/tokens.ts';

describe.each(testEngines)('API tokens on $name', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  it('are chy_ and 32 random bytes, verified by hash, refused once revoked', async () => {
    const { token, record } = await createToken(database.db, { name: 'newsroom', role: 'editor' });
    expect(token).toMatch(/^chy_[A-Za-z0-9_-]{43}$/);
    expect(isWellFormedToken(token)).toBe(true);
    expect(record).toMatchObject({ name: 'newsroom', role: 'editor', revokedAt: null });
    expect(await verifyToken(database.db, token)).toEqual({
      id: record.id,
      name: 'newsroom',
      role: 'editor',
    });
    // Another last character (a 32-byte token ends in A one time in 16, so always swapping in A would flake).
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'E' : 'A'}`;
    expect(await verifyToken(database.db, altered)).toBeNull();
    expect(await verifyToken(database.db, hashToken(token))).toBeNull();

    const revoked = await revokeToken(database.db, 'newsroom');
    expect(revoked.revokedAt).not.toBeNull();
    expect(await verifyToken(database.db, token)).toBeNull();
    // The name is free again; the list keeps both, oldest first.
    await createToken(database.db, { name: 'newsroom', role: 'reader' });
    expect((await listTokens(database.db)).map((t) => [t.name, t.role, t.revokedAt === null])).toEqual([
      ['newsroom', 'editor', false],
      ['newsroom', 'reader', true],
    ]);
  });

  it.each([
    [{ name: 'newsroom', role: 'admin' }, 'CONFLICT', /already exists; revoke it first/],
    [{ name: 'two words', role: 'admin' }, 'BAD_USER_INPUT', /Invalid token name "two words"/],
    [{ name: 'boss', role: 'owner' }, 'BAD_USER_INPUT', /choose one of reader, editor, admin/],
  ])('refuse %j with %s', async (options, code, message) => {
    const error = await createToken(database.db, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    expect((error as DomainError).message).toMatch(message);
  });

  it('revoking a name that has no active token says so', async () => {
    await expect(revokeToken(database.db, 'nobody')).rejects.toThrow(/No active token is named "nobody"/);
  });
});
