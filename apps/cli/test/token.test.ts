import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chancery, startServer, stop } from './run.ts';

// `chancery token` against the embedded database: on its own, and through a running server.
describe('chancery token', () => {
  let dataDir: string;
  const env = () => ({ CHANCERY_DATA_DIR: dataDir });

  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'chancery-token-')), 'pglite');
  });
  afterAll(async () => {
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('creates a token, printing it alone on stdout and the details on stderr; lists and revokes it', async () => {
    const created = await chancery(['token', 'create', '--name', 'ci', '--role', 'editor'], env());
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^chy_[A-Za-z0-9_-]{43}\n$/);
    expect(created.stderr).toMatch(/Created the editor token "ci"\. Store it now/);

    const listed = await chancery(['token', 'list'], env());
    expect(listed.stdout).toMatch(/NAME\s+ROLE\s+CREATED\s+LAST USED\s+STATUS/);
    expect(listed.stdout).toMatch(/ci\s+editor\s+\S+ \S+\s+-\s+active/);
    expect(listed.stdout).not.toContain(created.stdout.trim());

    expect((await chancery(['token', 'revoke', 'ci'], env())).stdout).toMatch(
      /Revoked the editor token "ci"/,
    );
    expect((await chancery(['token', 'list'], env())).stdout).toMatch(/ci\s+editor.*revoked/);
  });

  it.each([
    [
      ['token', 'create', '--name', 'x', '--role', 'boss'],
      /argument 'boss' is invalid\. Allowed choices are reader, editor, admin/,
    ],
    [['token', 'create', '--role', 'reader'], /required option '--name <name>' not specified/],
    [['token', 'create', '--name', 'has space', '--role', 'reader'], /Invalid token name "has space"/],
    [['token', 'revoke', 'nobody'], /No active token is named "nobody"/],
  ])('%j fails with a clear message', async (args, message) => {
    const result = await chancery(args, env());
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('works while the server runs: the token it prints is accepted at once, and refused once revoked', async () => {
    const server = await startServer({ ...env(), PORT: '0' });
    try {
      const created = await chancery(['token', 'create', '--name', 'desk', '--role', 'editor'], env());
      expect(created.code).toBe(0);
      const duplicate = await chancery(['token', 'create', '--name', 'desk', '--role', 'reader'], env());
      expect(duplicate.code).toBe(1);
      expect(duplicate.stderr).toMatch(/A token named "desk" already exists/);

      const token = created.stdout.trim();
      const call = () =>
        fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: 'mutation { createActor(input: { name: "Desk Test", kind: PERSON }) { __typename } }',
          }),
        });
      const accepted = await call();
      expect(((await accepted.json()) as { data: unknown }).data).toEqual({
        createActor: { __typename: 'ActorPayload' },
      });

      expect((await chancery(['token', 'revoke', 'desk'], env())).code).toBe(0);
      const refused = await call();
      expect(refused.status).toBe(401);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
  });
});
