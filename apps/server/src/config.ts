import { availableParallelism } from 'node:os';
import { ConfigError, databaseEnv, parseEnv } from '@chancery/db/config';
import { INTERVAL_RULE, parseInterval, watchSourceProblem } from '@chancery/db/import/watch';
import { z } from 'zod';
import type { QueryLimits } from './limits/limits.ts';
import { LOG_LEVELS } from './logging.ts';
import { readTrustedManifest, type TrustedManifest, TrustedManifestError } from './trusted-documents.ts';

const NODE_ENVS = ['development', 'production', 'test'] as const;

const PORT_RULE = 'must be a whole number from 0 to 65535 (0 picks a free port)';

/** A whole number in a range; the message says what is wrong with the value and what is allowed. */
const wholeNumber = (options: { min: number; max: number; default: number; meaning?: string }) => {
  const rule = `must be a whole number from ${options.min} to ${options.max}${options.meaning ? ` (${options.meaning})` : ''}; default ${options.default}`;
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return options.default;
      const text = value.trim();
      const problem = !/^\d+$/.test(text)
        ? 'not a whole number'
        : Number(text) < options.min
          ? `below ${options.min}`
          : Number(text) > options.max
            ? `above ${options.max}`
            : null;
      if (problem === null) return Number(text);
      ctx.addIssue({ code: 'custom', message: `${problem}; ${rule}` });
      return z.NEVER;
    });
};

/** 1 or 0; unset leaves the decision to the caller. */
const onOff = (meaning: string) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      if (value.trim() === '1') return true;
      if (value.trim() === '0') return false;
      ctx.addIssue({ code: 'custom', message: `neither 1 nor 0; must be 1 (${meaning}) or 0` });
      return z.NEVER;
    });

// The request and query limits, rate limits and shutdown grace (see README, Production).
const hardeningEnv = {
  CHANCERY_INTROSPECTION: onOff('introspection on, also in production'),
  CHANCERY_MAX_BODY_BYTES: wholeNumber({ min: 1_024, max: 104_857_600, default: 262_144, meaning: 'bytes' }),
  CHANCERY_MAX_DEPTH: wholeNumber({ min: 1, max: 100, default: 10 }),
  CHANCERY_MAX_ALIASES: wholeNumber({ min: 0, max: 1_000, default: 30 }),
  CHANCERY_MAX_DIRECTIVES: wholeNumber({ min: 0, max: 1_000, default: 10 }),
  CHANCERY_MAX_TOKENS: wholeNumber({ min: 100, max: 100_000, default: 2_000 }),
  CHANCERY_MAX_FIELD_REPEATS: wholeNumber({ min: 1, max: 1_000, default: 10 }),
  CHANCERY_MAX_COST: wholeNumber({ min: 1, max: 100_000_000, default: 100_000 }),
  CHANCERY_RATE_LIMIT_PER_IP: wholeNumber({
    min: 0,
    max: 1_000_000,
    default: 600,
    meaning: 'requests per minute from one address; 0 turns it off',
  }),
  CHANCERY_RATE_LIMIT_PER_TOKEN: wholeNumber({
    min: 0,
    max: 1_000_000,
    default: 1_200,
    meaning: 'requests per minute with one API token; 0 turns it off',
  }),
  CHANCERY_TRUST_PROXY: wholeNumber({
    min: 0,
    max: 10,
    default: 0,
    meaning: 'proxies in front of the server whose X-Forwarded-For to trust',
  }),
  CHANCERY_SHUTDOWN_GRACE_SECONDS: wholeNumber({ min: 0, max: 600, default: 10 }),
  CHANCERY_RESPONSE_CACHE_MB: wholeNumber({
    min: 0,
    max: 4_096,
    default: 32,
    meaning: 'MiB of anonymous query responses kept; 0 turns the cache off',
  }),
  // Checked apart (checkMetricsToken): its value must never be printed.
  CHANCERY_METRICS_TOKEN: z.string().optional(),
};

// Live updates: the change log's retention and the subscriptions' limits (see README, Live updates).
const liveEnv = {
  CHANCERY_CHANGE_LOG_DAYS: wholeNumber({
    min: 0,
    max: 3_650,
    default: 30,
    meaning: 'days the change log keeps each change; 0 keeps them for ever',
  }),
  CHANCERY_MAX_SUBSCRIPTIONS: wholeNumber({
    min: 1,
    max: 1_000,
    default: 20,
    meaning: 'subscriptions one WebSocket connection may hold',
  }),
  CHANCERY_MAX_SOCKETS_PER_ADDRESS: wholeNumber({
    min: 1,
    max: 100_000,
    default: 50,
    meaning: 'WebSocket connections and event streams, together, one client address may hold',
  }),
};

// The feed watcher, as `chancery watch` runs it (README, Feeds, agency formats and web pages).
const WATCH_RULE =
  'must be http(s) URLs of feeds, items or pages and directories (drop folders), separated by commas or spaces';
const watchEnv = {
  CHANCERY_WATCH: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const sources = (value ?? '').split(/[\s,]+/).filter((source) => source !== '');
      const problems = sources.map(watchSourceProblem).filter((problem) => problem !== null);
      if (problems.length === 0) return sources;
      ctx.addIssue({ code: 'custom', message: `${problems.join('; ')}; ${WATCH_RULE}` });
      return z.NEVER;
    }),
  CHANCERY_WATCH_INTERVAL: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      const ms = parseInterval(value);
      if (ms !== null) return ms;
      ctx.addIssue({
        code: 'custom',
        message: `must be ${INTERVAL_RULE} (time between polls of CHANCERY_WATCH); default 5m`,
      });
      return z.NEVER;
    }),
  CHANCERY_WATCH_STATUS: z
    .enum(['draft', 'published'], {
      error: 'must be draft or published (the status of articles the watcher creates); default draft',
    })
    .default('draft'),
};

/** Set by the primary in the one worker that runs CHANCERY_WATCH (cluster.ts); not a setting. */
export const WATCH_WORKER_VARIABLE = 'CHANCERY_WATCH_WORKER';

// Webhooks (README, Webhooks): where they may go, how long a request may take, how often to retry.
const webhookEnv = {
  CHANCERY_WEBHOOK_ALLOW_PRIVATE: onOff('webhooks may also go to loopback, private and link-local addresses'),
  CHANCERY_WEBHOOK_TIMEOUT_MS: wholeNumber({
    min: 100,
    max: 120_000,
    default: 10_000,
    meaning: 'milliseconds one webhook request may take',
  }),
  CHANCERY_WEBHOOK_MAX_ATTEMPTS: wholeNumber({
    min: 1,
    max: 100,
    default: 10,
    meaning: 'attempts before a delivery is marked FAILED',
  }),
  CHANCERY_WEBHOOK_RETRY_BASE_MS: wholeNumber({
    min: 10,
    max: 3_600_000,
    default: 5_000,
    meaning:
      'milliseconds before the first retry; each next one waits twice as long, up to an hour, with jitter',
  }),
};

// Running as several processes (README, Scaling out).
const scaleEnv = {
  REDIS_URL: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      const rule =
        'must be a Redis URL, redis://[:password@]host:6379[/db] or rediss://… (TLS), where rate limits are counted for every process; unset counts them in each process';
      let url: URL;
      try {
        url = new URL(value.trim());
      } catch {
        ctx.addIssue({ code: 'custom', message: `not a URL; ${rule}` });
        return z.NEVER;
      }
      if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
        ctx.addIssue({ code: 'custom', message: `a "${url.protocol.replace(/:$/, '')}" URL; ${rule}` });
        return z.NEVER;
      }
      return value.trim();
    }),
  CHANCERY_REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,100}$/, 'must be 1 to 100 letters, digits or : _ . -; default chancery')
    .default('chancery'),
  DATABASE_READ_URL: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const urls = (value ?? '')
        .split(',')
        .map((url) => url.trim())
        .filter((url) => url !== '');
      const rule =
        "must be one or more PostgreSQL URLs, comma-separated (postgres://user:password@replica:5432/db,…), where anonymous and readers' queries go; needs DATABASE_URL";
      for (const [index, url] of urls.entries()) {
        let protocol: string | null = null;
        try {
          protocol = new URL(url).protocol;
        } catch {}
        if (protocol === 'postgres:' || protocol === 'postgresql:') continue;
        const problem = protocol === null ? 'not a URL' : `a "${protocol.replace(/:$/, '')}" URL`;
        ctx.addIssue({
          code: 'custom',
          message: `URL ${index + 1} of ${urls.length} is ${problem}; ${rule}`,
        });
        return z.NEVER;
      }
      return urls;
    }),
  CHANCERY_WORKERS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = value?.trim() ?? '';
      if (text === '') return 1;
      if (text === 'auto') return availableParallelism();
      if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 256) return Number(text);
      ctx.addIssue({
        code: 'custom',
        message: `must be a whole number from 1 to 256 (server processes sharing the port; PostgreSQL only) or auto (one per core, ${availableParallelism()} here); default 1`,
      });
      return z.NEVER;
    }),
};

const serverEnv = {
  ...databaseEnv,
  ...scaleEnv,
  PORT: z.coerce
    .number({ error: PORT_RULE })
    .int(PORT_RULE)
    .min(0, PORT_RULE)
    .max(65535, PORT_RULE)
    .default(4000),
  HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be a host name or an IP address, e.g. 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  NODE_ENV: z.enum(NODE_ENVS, { error: `must be one of ${NODE_ENVS.join(', ')}` }).default('development'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ...hardeningEnv,
  ...liveEnv,
  ...webhookEnv,
  ...watchEnv,
  // Checked here, so a bad manifest stops the server before it opens the database.
  CHANCERY_TRUSTED_DOCUMENTS: z
    .string()
    .optional()
    .transform((value, ctx): TrustedManifest | undefined => {
      if (value === undefined || value.trim() === '') return undefined;
      try {
        return readTrustedManifest(value.trim());
      } catch (error) {
        if (!(error instanceof TrustedManifestError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
  CHANCERY_TRUSTED_DOCUMENTS_ADMIN_BYPASS: z
    .enum(['0', '1'], { error: 'must be 1 (admin tokens may run any operation) or 0' })
    .default('0'),
};

export type ServerConfig = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  production: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Unset: introspection outside production only. */
  introspection: boolean | undefined;
  maxBodyBytes: number;
  limits: QueryLimits;
  /** With `redis` (REDIS_URL), counted in Redis for every process. */
  rateLimit: { perIp: number; perToken: number; redis?: { url: string; keyPrefix: string } };
  /** Server processes sharing the port (CHANCERY_WORKERS; `auto` resolved to the cores). */
  workers: number;
  /** Read replicas' URLs (DATABASE_READ_URL); empty: every query goes to DATABASE_URL. */
  databaseReadUrls: string[];
  trustProxy: number;
  shutdownGraceMs: number;
  /** Unset: no response cache. */
  responseCache: { maxBytes: number } | undefined;
  metricsToken: string | undefined;
  /** CHANCERY_* variables nobody reads: most likely misspelt. */
  warnings: string[];
  /** Set: only the manifest's operations are executed. */
  trustedDocuments: { manifest: TrustedManifest; adminBypass: boolean } | undefined;
  /** Days the change log keeps a change (0: for ever), and subscriptions per WebSocket connection. */
  live: { changeLogDays: number; maxSubscriptions: number; maxSocketsPerAddress: number };
  /** Webhook sending: private addresses allowed, request timeout, attempts, first retry's delay. */
  webhooks: { allowPrivate: boolean; timeoutMs: number; maxAttempts: number; retryBaseMs: number };
  /** CHANCERY_WATCH: sources polled every `intervalMs`, new articles created with `status`. */
  watch: { sources: string[]; intervalMs: number; status: 'DRAFT' | 'PUBLISHED' } | undefined;
};

/** Reads the server's settings from the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const tokenProblem = checkMetricsToken(env.CHANCERY_METRICS_TOKEN);
  let e: z.infer<z.ZodObject<typeof serverEnv>>;
  try {
    e = parseEnv(serverEnv, env);
  } catch (error) {
    if (!(error instanceof ConfigError) || !tokenProblem) throw error;
    throw new ConfigError(`${error.message}\n${tokenProblem}`);
  }
  if (tokenProblem) throw new ConfigError(`Invalid configuration:\n${tokenProblem}`);
  const watchAlone = ['CHANCERY_WATCH_INTERVAL', 'CHANCERY_WATCH_STATUS'].filter(
    (name) => (env[name]?.trim() ?? '') !== '',
  );
  if (e.CHANCERY_WATCH.length === 0 && watchAlone.length > 0)
    throw new ConfigError(
      `Invalid configuration:\n  ${watchAlone.join(', ')}: set, but CHANCERY_WATCH is not; ${watchAlone.length === 1 ? 'it says' : 'they say'} how to watch the sources CHANCERY_WATCH lists: set CHANCERY_WATCH too, or unset ${watchAlone.join(' and ')}`,
    );
  if (e.DATABASE_READ_URL.length > 0 && !e.DATABASE_URL)
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_READ_URL: set, but DATABASE_URL is not; read replicas stand beside a PostgreSQL primary: set DATABASE_URL too, or unset DATABASE_READ_URL',
    );
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.CHANCERY_DATA_DIR,
    production: e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
    introspection: e.CHANCERY_INTROSPECTION,
    maxBodyBytes: e.CHANCERY_MAX_BODY_BYTES,
    limits: {
      maxDepth: e.CHANCERY_MAX_DEPTH,
      maxAliases: e.CHANCERY_MAX_ALIASES,
      maxDirectives: e.CHANCERY_MAX_DIRECTIVES,
      maxTokens: e.CHANCERY_MAX_TOKENS,
      maxFieldRepeats: e.CHANCERY_MAX_FIELD_REPEATS,
      maxCost: e.CHANCERY_MAX_COST,
    },
    rateLimit: {
      perIp: e.CHANCERY_RATE_LIMIT_PER_IP,
      perToken: e.CHANCERY_RATE_LIMIT_PER_TOKEN,
      ...(e.REDIS_URL ? { redis: { url: e.REDIS_URL, keyPrefix: e.CHANCERY_REDIS_KEY_PREFIX } } : {}),
    },
    workers: e.CHANCERY_WORKERS,
    databaseReadUrls: e.DATABASE_READ_URL,
    trustProxy: e.CHANCERY_TRUST_PROXY,
    shutdownGraceMs: e.CHANCERY_SHUTDOWN_GRACE_SECONDS * 1000,
    responseCache:
      e.CHANCERY_RESPONSE_CACHE_MB > 0 ? { maxBytes: e.CHANCERY_RESPONSE_CACHE_MB * 1024 * 1024 } : undefined,
    metricsToken: e.CHANCERY_METRICS_TOKEN?.trim() || undefined,
    warnings: unknownVariables(env),
    trustedDocuments: e.CHANCERY_TRUSTED_DOCUMENTS && {
      manifest: e.CHANCERY_TRUSTED_DOCUMENTS,
      adminBypass: e.CHANCERY_TRUSTED_DOCUMENTS_ADMIN_BYPASS === '1',
    },
    live: {
      changeLogDays: e.CHANCERY_CHANGE_LOG_DAYS,
      maxSubscriptions: e.CHANCERY_MAX_SUBSCRIPTIONS,
      maxSocketsPerAddress: e.CHANCERY_MAX_SOCKETS_PER_ADDRESS,
    },
    webhooks: {
      allowPrivate: e.CHANCERY_WEBHOOK_ALLOW_PRIVATE ?? false,
      timeoutMs: e.CHANCERY_WEBHOOK_TIMEOUT_MS,
      maxAttempts: e.CHANCERY_WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: e.CHANCERY_WEBHOOK_RETRY_BASE_MS,
    },
    watch:
      e.CHANCERY_WATCH.length > 0
        ? {
            sources: e.CHANCERY_WATCH,
            intervalMs: e.CHANCERY_WATCH_INTERVAL ?? 5 * 60_000,
            status: e.CHANCERY_WATCH_STATUS === 'published' ? 'PUBLISHED' : 'DRAFT',
          }
        : undefined,
  };
}

/** Like every line of parseEnv's message, but without the value: it is a credential. */
function checkMetricsToken(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null;
  const token = value.trim();
  if (token.length >= 16 && /^[\x21-\x7e]+$/.test(token)) return null;
  const problem =
    token.length < 16 ? `too short (${token.length} characters)` : 'has spaces or non-ASCII characters';
  return `  CHANCERY_METRICS_TOKEN: ${problem}; must be at least 16 visible ASCII characters (GET /metrics then needs \`Authorization: Bearer <it>\`), or unset`;
}

function unknownVariables(env: Record<string, string | undefined>): string[] {
  const known = new Set([...Object.keys(serverEnv), WATCH_WORKER_VARIABLE]);
  return Object.keys(env)
    .filter((name) => name.startsWith('CHANCERY_') && !known.has(name))
    .map((name) => `${name} is set but no Chancery server setting has that name; it is ignored.`);
}
