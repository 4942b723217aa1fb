import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';

// Requests per client (one count per client address and one per API token, whether the token is
// sent as a bearer token or stands behind an editor session's cookie), counted by
// rate-limiter-flexible: in this process's memory, or with `redis` in Redis, so that every process
// on every machine counts against one limit. Each count is a fixed window that opens at the
// client's first request: up to the limit, then refused until the window closes.
// When Redis cannot be reached the counts fall back to this process's memory (the library's
// insurance limiter): the server keeps serving, each process enforcing the limit on its own, and
// goes back to the shared counts as soon as Redis answers again.

export type RateLimitOptions = {
  /** Requests per window from one client address (IPv6: one /64); 0 turns the limit off. */
  perIp: number;
  /**
   * Requests per window with one API token, wherever they come from; a request signed in by an
   * editor session counts against the session's token (all its sessions share it). 0: no limit.
   */
  perToken: number;
  windowSeconds?: number;
  /** Count in Redis (REDIS_URL), under keys starting with `keyPrefix`; unset: in memory. */
  redis?: { url: string; keyPrefix: string };
  /** Told when the shared counts become unavailable (per process from then on) and again when they are back. */
  onSharedChange?: (shared: boolean, error?: Error) => void;
};

export type RateLimitVerdict =
  | { ok: true }
  | { ok: false; limit: 'ip' | 'token'; max: number; windowSeconds: number; retryAfterSeconds: number };

/** Where the counts are kept: 'memory' (one process), 'redis' (shared), or 'fallback' (Redis unreachable). */
export type RateLimitStore = 'memory' | 'redis' | 'fallback';

type Limit = { name: 'ip' | 'token'; max: number; limiter: RateLimiterAbstract };

export class RateLimiter {
  private readonly limits: Limit[] = [];
  private readonly windowSeconds: number;
  private readonly redis: Redis | null = null;
  /** 'connecting' until Redis first answers or fails; the change to 'fallback' is told once. */
  private state: 'connecting' | 'shared' | 'fallback' = 'connecting';

  constructor(private readonly options: RateLimitOptions) {
    this.windowSeconds = options.windowSeconds ?? 60;
    if (options.redis && (options.perIp > 0 || options.perToken > 0)) {
      this.redis = new Redis(options.redis.url, {
        // Refuse at once while disconnected (the insurance limiter answers instead), and never
        // wait long on a Redis that hangs: a request must not queue behind the limiter.
        enableOfflineQueue: false,
        commandTimeout: 1_000,
        connectTimeout: 2_000,
        maxRetriesPerRequest: 0,
        // Reconnect for ever, at most every 2 s: the shared counts come back with Redis.
        retryStrategy: (times) => Math.min(times * 200, 2_000),
        lazyConnect: false,
      });
      this.redis.on('ready', () => this.setShared(true));
      this.redis.on('error', (error: Error) => this.setShared(false, error));
      this.redis.on('close', () => this.setShared(false));
    }
    for (const [name, max] of [
      ['ip', options.perIp],
      ['token', options.perToken],
    ] as const) {
      if (max <= 0) continue;
      const memory = new RateLimiterMemory({ points: max, duration: this.windowSeconds, keyPrefix: name });
      const limiter = this.redis
        ? new RateLimiterRedis({
            storeClient: this.redis,
            points: max,
            duration: this.windowSeconds,
            keyPrefix: `${options.redis?.keyPrefix}:${name}`,
            rejectIfRedisNotReady: true,
            // A client past its limit is refused from memory until its window closes: an abusive
            // client costs Redis nothing.
            inMemoryBlockOnConsumed: max + 1,
            insuranceLimiter: memory,
          })
        : memory;
      this.limits.push({ name, max, limiter });
    }
  }

  /** Where the counts are kept now (for /readyz). */
  get store(): RateLimitStore {
    if (!this.redis) return 'memory';
    return this.state === 'shared' ? 'redis' : 'fallback';
  }

  /**
   * Counts one request against the client's address and, when it sends one, its token; without an
   * Authorization header, `sessionToken` is asked (only once the address's count allows the
   * request) for the id of the token behind the request's editor session, if it has a live one.
   */
  async take(client: {
    ip: string;
    authorization?: string | undefined;
    sessionToken?: () => Promise<string | null>;
  }): Promise<RateLimitVerdict> {
    const keys: Record<Limit['name'], string | null> = {
      ip: addressKey(client.ip),
      token: client.authorization ? tokenKey(client.authorization) : null,
    };
    const counted: Limit[] = [];
    for (const limit of this.limits) {
      if (limit.name === 'token' && keys.token === null && client.sessionToken) {
        const tokenId = await client.sessionToken();
        keys.token = tokenId === null ? null : sessionTokenKey(tokenId);
      }
      const key = keys[limit.name];
      if (key === null) continue;
      try {
        await limit.limiter.consume(key);
        counted.push(limit);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        // Refused by one limit, the request counts against none: a client waiting on its token's
        // allowance does not also use up its address's.
        await Promise.all(counted.map((c) => c.limiter.reward(keys[c.name] as string).catch(() => {})));
        return {
          ok: false,
          limit: limit.name,
          max: limit.max,
          windowSeconds: this.windowSeconds,
          retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
        };
      }
    }
    return { ok: true };
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    this.redis.removeAllListeners();
    // An error once closed (the connection already gone) must not crash the process.
    this.redis.on('error', () => {});
    this.redis.disconnect();
  }

  private setShared(shared: boolean, error?: Error): void {
    const state = shared ? 'shared' : 'fallback';
    if (this.state === state) return;
    this.state = state;
    this.options.onSharedChange?.(shared, error);
  }
}

/** IPv4 addresses one by one; IPv6 by /64, the block one subscriber usually has. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  if (!isIPv6(ip)) return ip;
  return expandIPv6(ip).slice(0, 4).join(':');
}

function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((part) =>
    part.toLowerCase().padStart(4, '0'),
  );
}

/**
 * The count of the token behind an editor session, by the token's id (the server never holds the
 * token itself). The colon keeps it apart from `tokenKey`'s base64url names.
 */
export function sessionTokenKey(tokenId: string): string {
  return `session-token:${tokenId}`;
}

/** The token is never kept: its count is named by a hash of the credential the client sent. */
export function tokenKey(authorization: string): string {
  const bearer = /^bearer\s+(.+)$/i.exec(authorization.trim());
  const credential = bearer ? (bearer[1] as string).trim() : authorization.trim();
  return createHash('sha256').update(credential).digest('base64url');
}
