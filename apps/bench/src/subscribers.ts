// `npm run bench -- --subscribers`: issue 16's "1000 concurrent subscribers on one process, one
// published statement". A compiled Chancery (production mode, one CPU) on a database of its own;
// N graphql-ws clients (raw `ws`, this process, the other CPU), anonymous, each subscribing to
// `statementPublished` (a share of them with a speaker filter); a warm-up event proves every one
// is established; then, round after round, an editor publishes an article holding one statement
// through the API, and each subscriber's delay from just before the mutation was sent to the
// event's arrival is measured. The server's RSS before the subscribers and with them idle gives
// the RSS per idle subscriber; its CPU time per round is the work of one event.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openDatabase } from '@chancery/db/database';
import { migrate } from '@chancery/db/migrate';
import { loadSeed } from '@chancery/db/seed';
import { createToken } from '@chancery/db/tokens';
import WebSocket from 'ws';
import { benchReadyLine, type ServerChild, spawnServer } from './children.ts';
import { fetchOnce } from './load.ts';
import { cpuTimeMs, memoryMiB } from './proc.ts';
import { dropPostgresDatabase, type EngineName, ensurePostgresDatabase } from './setup.ts';

export type SubscriberRound = {
  round: number;
  /** Subscribers that got the event within the timeout. */
  delivered: number;
  /** From just before the mutation was sent to its response. */
  mutationMs: number;
  /** From just before the mutation was sent to the event's arrival, over the subscribers. */
  first: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** The server process's CPU time (user + system) from the mutation to the last arrival. */
  serverCpuMs: number;
};

export type SubscribersResult = {
  engine: EngineName;
  subscribers: number;
  filtered: number;
  /** Time to open every socket, subscribe and receive the warm-up event. */
  establishMs: number;
  rssBeforeMiB: number;
  rssIdleMiB: number;
  rssPerIdleSubscriberKiB: number;
  rounds: SubscriberRound[];
  /** Medians over the rounds. */
  median: {
    first: number;
    p50: number;
    p95: number;
    p99: number;
    max: number;
    /** p95 less the first arrival: the fan-out, without the wait for the follower to read the change. */
    fanOutP95: number;
    mutationMs: number;
    serverCpuMs: number;
  };
};

const SUBSCRIPTION = `subscription Bench($filter: StatementPublishedFilter) {
  statementPublished(filter: $filter) { cursor statement { id text saidOn speaker { id name } } }
}`;

const ERRORS = '__typename ... on Error { message }';
const EVENT_TIMEOUT_MS = 15_000;

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const round1 = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The bench's own database or data directory, emptied, migrated, seeded, with an editor token. */
async function prepareDatabase(options: {
  engine: EngineName;
  databaseUrl: string;
  dataRoot: string;
}): Promise<{ env: Record<string, string>; token: string }> {
  let env: Record<string, string>;
  if (options.engine === 'postgres') {
    const url = new URL(options.databaseUrl);
    url.pathname = `${url.pathname}_subscribers`;
    await dropPostgresDatabase(url.href);
    await ensurePostgresDatabase(url.href);
    env = { DATABASE_URL: url.href };
  } else {
    const dataDir = join(options.dataRoot, 'subscribers');
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(options.dataRoot, { recursive: true });
    env = { CHANCERY_DATA_DIR: dataDir };
  }
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.CHANCERY_DATA_DIR ?? '',
    role: 'test',
  });
  try {
    await migrate(database);
    await loadSeed(database.db);
    const { token } = await createToken(database.db, { name: 'subscribers-bench', role: 'editor' });
    return { env, token };
  } finally {
    await database.close();
  }
}

/** One graphql-ws connection, subscribed; `arrivals` maps a statement's id to when it came. */
type Subscriber = { socket: WebSocket; arrivals: Map<string, number>; onEvent: (() => void) | null };

function openSubscriber(wsUrl: string, variables: Record<string, unknown>): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
    const subscriber: Subscriber = { socket, arrivals: new Map(), onEvent: null };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (data) => {
      const at = performance.now();
      const message = JSON.parse(String(data)) as {
        type: string;
        payload?: { data?: { statementPublished?: { statement?: { id: string } } }; errors?: unknown };
      };
      if (message.type === 'connection_ack') {
        socket.send(
          JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables } }),
        );
        resolve(subscriber);
      } else if (message.type === 'next') {
        const id = message.payload?.data?.statementPublished?.statement?.id;
        // An event without its statement counts as not delivered: the round then fails, and says so.
        if (id) subscriber.arrivals.set(id, at);
        else console.error(`  a subscriber got an event without a statement: ${String(data).slice(0, 300)}`);
        subscriber.onEvent?.();
      } else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
      else if (message.type === 'error') reject(new Error(`subscribe refused: ${String(data)}`));
    });
    socket.on('error', reject);
    socket.on('unexpected-response', (_req, res) =>
      reject(new Error(`WebSocket upgrade answered ${res.statusCode} ${res.statusMessage}`)),
    );
  });
}

/** Resolves when every subscriber has the event of `statementId`, or at the timeout; returns how many do. */
function allArrived(subscribers: Subscriber[], statementId: string, timeoutMs: number): Promise<number> {
  const count = () => subscribers.filter((s) => s.arrivals.has(statementId)).length;
  return new Promise((resolve) => {
    let remaining = subscribers.length - count();
    const finish = () => {
      clearTimeout(timer);
      for (const s of subscribers) s.onEvent = null;
      resolve(count());
    };
    const timer = setTimeout(finish, timeoutMs);
    if (remaining === 0) return finish();
    for (const s of subscribers)
      if (!s.arrivals.has(statementId))
        s.onEvent = () => {
          if (s.arrivals.has(statementId)) {
            s.onEvent = null;
            remaining -= 1;
            if (remaining === 0) finish();
          }
        };
  });
}

export async function subscribersBench(options: {
  engine: EngineName;
  entry: string;
  compiled: boolean;
  databaseUrl: string;
  dataRoot: string;
  subscribers: number;
  /** Share of the subscribers that filter by the speaker (0–1). */
  filteredShare: number;
  rounds: number;
  cpu: number | null;
  repo: string;
  /** CPU-profile the server over the rounds (servers/chancery.ts writes it when stopped). */
  profileFile?: string;
  log: (line: string) => void;
}): Promise<SubscribersResult> {
  const { engine, log } = options;
  log(`\n== subscribers on ${engine}: ${options.subscribers} subscribers, ${options.rounds} rounds ==`);
  const { env, token } = await prepareDatabase(options);
  const child: ServerChild = await spawnServer({
    entry: options.entry,
    plainNode: options.compiled,
    env: {
      NODE_ENV: 'production',
      ...env,
      BENCH_VARIANT: 'baseline',
      CHANCERY_MAX_SOCKETS_PER_ADDRESS: String(options.subscribers + 10),
      ...(options.profileFile ? { BENCH_PROFILE_FILE: options.profileFile } : {}),
    },
    cpu: options.cpu,
    readyLine: benchReadyLine,
    cwd: options.repo,
  });
  const subscribers: Subscriber[] = [];
  try {
    const api = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetchOnce({
        url: child.url,
        body: JSON.stringify({ query, variables }),
        headers: { authorization: `Bearer ${token}` },
      });
      const parsed = JSON.parse(response.text) as { data?: Record<string, any>; errors?: unknown };
      if (parsed.errors || !parsed.data) throw new Error(`The API refused: ${response.text}`);
      const value = Object.values(parsed.data)[0];
      if (value?.__typename && !String(value.__typename).endsWith('Payload'))
        throw new Error(`The API refused: ${response.text}`);
      return value;
    };
    const speaker = (
      await api(
        `mutation ($input: CreateActorInput!) { createActor(input: $input) { ${ERRORS} ... on ActorPayload { actor { id } } } }`,
        { input: { name: 'Subscribers Bench Speaker', kind: 'PERSON' } },
      )
    ).actor.id as string;
    let serial = 0;
    /** A draft article holding one statement of the speaker, ready to publish. */
    const draft = async () => {
      serial += 1;
      const article = (
        await api(
          `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { ${ERRORS} ... on ArticlePayload { article { id version } } } }`,
          {
            input: {
              headline: `Subscribers bench story ${serial}`,
              paragraphs: [`"We will sign ${serial}," the minister said.`, 'Talks continue.'],
            },
          },
        )
      ).article as { id: string; version: number };
      const statement = (
        await api(
          `mutation ($input: CreateStatementInput!) { createStatement(input: $input) { ${ERRORS} ... on StatementPayload { statement { id } } } }`,
          {
            input: {
              source: { articleId: article.id, paragraph: 0, text: `We will sign ${serial}` },
              kind: 'DIRECT',
              speakerId: speaker,
            },
          },
        )
      ).statement.id as string;
      return { article, statement };
    };
    const publish = (article: { id: string; version: number }) =>
      api(
        `mutation ($id: ID!, $v: Int!) { publishArticle(id: $id, expectedVersion: $v) { ${ERRORS} ... on ArticlePayload { article { id } } } }`,
        { id: article.id, v: article.version },
      );

    // The server warmed by one publication nobody listens to, then its RSS without subscribers.
    await publish((await draft()).article);
    await sleep(1_000);
    const rssBefore = memoryMiB(child.pid).rss;

    const wsUrl = child.url.replace(/^http/, 'ws');
    const filtered = Math.round(options.subscribers * options.filteredShare);
    const established = performance.now();
    for (let i = 0; i < options.subscribers; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(options.subscribers, i + 50); j++)
        batch.push(openSubscriber(wsUrl, j < filtered ? { filter: { speakerId: speaker } } : {}));
      subscribers.push(...(await Promise.all(batch)));
    }
    // Subscribing is asynchronous on the server: a warm-up event, repeated until every one has it,
    // says each subscription listens.
    for (let attempt = 1; ; attempt++) {
      const warm = await draft();
      await publish(warm.article);
      const got = await allArrived(subscribers, warm.statement, 5_000);
      if (got === subscribers.length) break;
      if (attempt === 5)
        throw new Error(`Only ${got} of ${subscribers.length} subscribers got the warm-up event.`);
    }
    const establishMs = performance.now() - established;
    log(`  ${subscribers.length} subscribers established in ${Math.round(establishMs)} ms`);
    await sleep(2_000);
    const rssIdle = memoryMiB(child.pid).rss;
    log(
      `  RSS ${rssBefore.toFixed(1)} MiB before, ${rssIdle.toFixed(1)} MiB with them idle: ${(((rssIdle - rssBefore) * 1024) / subscribers.length).toFixed(1)} KiB each`,
    );

    if (options.profileFile) {
      process.kill(child.pid, 'SIGUSR2');
      await sleep(300);
    }
    const rounds: SubscriberRound[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const { article, statement } = await draft();
      await sleep(300);
      const cpuBefore = cpuTimeMs(child.pid);
      const sent = performance.now();
      const arrived = allArrived(subscribers, statement, EVENT_TIMEOUT_MS);
      await publish(article);
      const mutationMs = performance.now() - sent;
      const delivered = await arrived;
      const serverCpuMs = cpuTimeMs(child.pid) - cpuBefore;
      const delays = subscribers
        .map((s) => s.arrivals.get(statement))
        .filter((at): at is number => at !== undefined)
        .map((at) => at - sent)
        .sort((a, b) => a - b);
      const result: SubscriberRound = {
        round,
        delivered,
        mutationMs: round1(mutationMs),
        first: round1(percentile(delays, 0.001)),
        p50: round1(percentile(delays, 50)),
        p95: round1(percentile(delays, 95)),
        p99: round1(percentile(delays, 99)),
        max: round1(percentile(delays, 100)),
        serverCpuMs: Math.round(serverCpuMs),
      };
      rounds.push(result);
      log(
        `  round ${round}: ${delivered}/${subscribers.length} delivered; first ${result.first} p50 ${result.p50} p95 ${result.p95} p99 ${result.p99} max ${result.max} ms; mutation ${result.mutationMs} ms; server CPU ${result.serverCpuMs} ms`,
      );
      if (delivered < subscribers.length)
        throw new Error(
          `Round ${round}: only ${delivered} of ${subscribers.length} subscribers got the event within ${EVENT_TIMEOUT_MS} ms.`,
        );
    }
    const pick = (key: keyof SubscriberRound) => median(rounds.map((r) => r[key]));
    return {
      engine,
      subscribers: subscribers.length,
      filtered,
      establishMs: Math.round(establishMs),
      rssBeforeMiB: round1(rssBefore),
      rssIdleMiB: round1(rssIdle),
      rssPerIdleSubscriberKiB: round1(((rssIdle - rssBefore) * 1024) / subscribers.length),
      rounds,
      median: {
        first: pick('first'),
        p50: pick('p50'),
        p95: pick('p95'),
        p99: pick('p99'),
        max: pick('max'),
        fanOutP95: round1(median(rounds.map((r) => r.p95 - r.first))),
        mutationMs: pick('mutationMs'),
        serverCpuMs: pick('serverCpuMs'),
      },
    };
  } finally {
    for (const s of subscribers) s.socket.terminate();
    await child.stop();
    if (engine === 'pglite') await rm(env.CHANCERY_DATA_DIR as string, { recursive: true, force: true });
    else await dropPostgresDatabase(env.DATABASE_URL as string);
  }
}

/** Markdown for stdout. */
export function subscribersMarkdown(results: SubscribersResult[]): string {
  const lines = [
    '## Subscribers: one published statement to N subscribers of one process',
    '',
    'Delay per subscriber from just before `publishArticle` was sent to the event’s arrival (ms); medians over the rounds.',
    '',
    '| engine | subscribers (filtered) | first | p50 | p95 | p99 | max | p95 − first | mutation | server CPU per event | RSS before → idle | RSS per idle subscriber |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results)
    lines.push(
      `| ${r.engine} | ${r.subscribers} (${r.filtered}) | ${r.median.first} | ${r.median.p50} | ${r.median.p95} | ${r.median.p99} | ${r.median.max} | ${r.median.fanOutP95} | ${r.median.mutationMs} | ${r.median.serverCpuMs} ms | ${r.rssBeforeMiB} → ${r.rssIdleMiB} MiB | ${r.rssPerIdleSubscriberKiB} KiB |`,
    );
  lines.push(
    '',
    '| engine | round | delivered | first | p50 | p95 | p99 | max | mutation | server CPU |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of results)
    for (const x of r.rounds)
      lines.push(
        `| ${r.engine} | ${x.round} | ${x.delivered} | ${x.first} | ${x.p50} | ${x.p95} | ${x.p99} | ${x.max} | ${x.mutationMs} | ${x.serverCpuMs} ms |`,
      );
  return lines.join('\n');
}
