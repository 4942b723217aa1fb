import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pruneChangeLog } from '@chancery/db/change-log';
import { openDatabase } from '@chancery/db/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chancery, startServer, stop } from './run.ts';

// `chancery webhook` against the embedded database: on its own, and through a running server,
// which then sends to a receiver on this machine what the endpoint registered by the CLI asked for.
// Then, the server stopped, a change pruned before the endpoint had it shows in `webhook list` as a gap.
describe('chancery webhook', () => {
  let dataDir: string;
  const env = (extra: Record<string, string> = {}) => ({ CHANCERY_DATA_DIR: dataDir, ...extra });
  const allowed = () => env({ CHANCERY_WEBHOOK_ALLOW_PRIVATE: '1' });

  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'chancery-webhook-')), 'pglite');
  });
  afterAll(async () => {
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  // One test, to open the embedded database as few times as possible: once directly, then every
  // command through the running server's socket.
  it('manages endpoints directly and while the server runs, which sends what they ask for; bad input is refused with what is allowed', async () => {
    const help = await chancery(['webhook', '--help'], env());
    for (const command of ['create', 'list', 'pause', 'resume', 'delete', 'deliveries', 'redeliver'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    // Directly on the database, no server running.
    const direct = await chancery(
      ['webhook', 'create', '--url', 'http://127.0.0.1:9/hook', '--event', 'TREATY_CHANGED', 'ACTOR_CHANGED'],
      allowed(),
    );
    expect(direct.code).toBe(0);
    expect(direct.stdout).toMatch(/^whsec_[A-Za-z0-9+/]+=*\n$/);
    const directId = /Created the webhook (\S+)/.exec(direct.stderr)?.[1] as string;

    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const server = await startServer({ ...allowed(), PORT: '0' });
    /** The endpoint the server sends to. */
    let id = '';
    try {
      const refused = await chancery(
        ['webhook', 'create', '--url', 'http://localhost:9/hook', '--event', 'TREATY_CHANGED'],
        env(),
      );
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(
        /loopback address: webhooks are only sent to public addresses.*ALLOW_PRIVATE=1/,
      );
      const several = await chancery(
        ['webhook', 'create', '--url', 'gopher://x', '--event', 'ACTOR_CHANGED', '--secret', 'short'],
        env(),
      );
      expect(several.stderr).toMatch(
        /url: gopher URLs are not allowed[^\n]*\n\s+secret: A secret must be whsec_/,
      );
      const listed = await chancery(['webhook', 'list'], env());
      expect(listed.stdout).toMatch(/ID\s+URL\s+EVENTS\s+STATUS\s+PENDING\s+FAILED\s+GAPS\s+CREATED/);
      expect(listed.stdout).not.toMatch(/^Missed by/m);
      // The server's first start loaded the seed story after the endpoint was made: those changes
      // wait for a receiver that is not there.
      expect(listed.stdout).toContain(
        `${directId}  http://127.0.0.1:9/hook  TREATY_CHANGED,ACTOR_CHANGED  active`,
      );
      expect((await chancery(['webhook', 'pause', directId], env())).stdout).toMatch(
        /Paused the webhook .*\(paused\)/,
      );
      expect((await chancery(['webhook', 'delete', directId], env())).stdout).toMatch(/Deleted the webhook/);
      expect((await chancery(['webhook', 'resume', directId], env())).stderr).toMatch(
        /There is no webhook with the ID/,
      );

      const created = await chancery(
        ['webhook', 'create', '--url', url, '--event', 'TREATY_CHANGED'],
        allowed(),
      );
      expect(created.code).toBe(0);
      id = /Created the webhook (\S+)/.exec(created.stderr)?.[1] as string;
      const token = (
        await chancery(['token', 'create', '--name', 'desk', '--role', 'editor'], env())
      ).stdout.trim();
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: 'mutation { createTreaty(input: { title: "Treaty by hook" }) { __typename } }',
        }),
      });
      expect(response.status).toBe(200);
      for (let i = 0; i < 300 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({
        type: 'treaty.changed',
        data: { node: { title: 'Treaty by hook' } },
      });
      let log = '';
      for (let i = 0; i < 100 && !/DELIVERED/.test(log); i++) {
        log = (await chancery(['webhook', 'deliveries', id], env())).stdout;
        if (!/DELIVERED/.test(log)) await new Promise((r) => setTimeout(r, 100));
      }
      expect(log).toMatch(/TREATY_CHANGED\s+\S+\s+DELIVERED\s+1\s+204/);
    } finally {
      await stop(server.child);
      await new Promise((resolve) => receiver.close(resolve));
    }

    // With no server running, the endpoint falls behind: a change pruned meanwhile is a gap.
    const database = await openDatabase({ dataDir, role: 'cli' });
    try {
      await database.withRawTransaction((raw) =>
        raw.exec(`insert into treaties (title, slug, status) values ('Treaty pruned unsent', 'treaty-pruned-unsent', 'NEGOTIATING');
          update change_log set changed_at = now() - interval '31 days'
            where node_id = (select id from treaties where slug = 'treaty-pruned-unsent');`),
      );
      await database.withRawTransaction((raw) =>
        raw.exec(
          `insert into treaties (title, slug, status) values ('Treaty kept', 'treaty-kept', 'NEGOTIATING')`,
        ),
      );
      expect(await pruneChangeLog(database.db, 30)).toBe(1);
    } finally {
      await database.close();
    }
    const behind = await chancery(['webhook', 'list'], env());
    expect(behind.stdout).toMatch(new RegExp(`^${id} .* active +0 +0 +1 +\\d{4}-`, 'm'));
    expect(behind.stdout).toMatch(
      new RegExp(
        `^Missed by ${id}: 1 change\\(s\\) between \\S+ and \\S+ were pruned from the change log before delivery; resync what changed then\\.$`,
        'm',
      ),
    );
  });
});
