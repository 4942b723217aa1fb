import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';

// Requests per client, in this process's memory (one bucket per client address and one per API
// token; shared through Redis when Chancery runs as several processes). Each bucket holds a
// minute's allowance and refills continuously, so a client may spend it in a burst and then goes
// at the allowed rate.

export type RateLimitOptions = {
  /** Requests per window from one client address (IPv6: one /64); 0 turns the limit off. */
  perIp: number;
  /** Requests per window with one API token, wherever they come from; 0 turns the limit off. */
  perToken: number;
  windowSeconds?: number;
  /** Clock in milliseconds; tests pass their own. */
  now?: () => number;
  /** Buckets kept before idle ones are dropped. */
  maxBuckets?: number;
};

export type RateLimitVerdict =
  | { ok: true }
  | { ok: false; limit: 'ip' | 'token'; max: number; windowSeconds: number; retryAfterSeconds: number };

type Bucket = { tokens: number; updatedAt: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly maxBuckets: number;

  constructor(private readonly options: RateLimitOptions) {
    this.windowMs = (options.windowSeconds ?? 60) * 1000;
    this.now = options.now ?? Date.now;
    this.maxBuckets = options.maxBuckets ?? 100_000;
  }

  /** Counts one request against the client's address and, when it sends one, its token. */
  take(client: { ip: string; authorization?: string | undefined }): RateLimitVerdict {
    const now = this.now();
    const checks: { key: string; limit: 'ip' | 'token'; max: number }[] = [];
    if (this.options.perIp > 0)
      checks.push({ key: `ip:${addressKey(client.ip)}`, limit: 'ip', max: this.options.perIp });
    const token = client.authorization ? tokenKey(client.authorization) : null;
    if (token && this.options.perToken > 0)
      checks.push({ key: `token:${token}`, limit: 'token', max: this.options.perToken });

    const buckets = checks.map((check) => ({ ...check, bucket: this.refilled(check.key, check.max, now) }));
    // Refused by one limit, the request counts against none: a client waiting on its token's
    // allowance does not also use up its address's.
    for (const { limit, max, bucket } of buckets) {
      if (bucket.tokens < 1) {
        const perMs = max / this.windowMs;
        return {
          ok: false,
          limit,
          max,
          windowSeconds: this.windowMs / 1000,
          // The epsilon keeps float noise (0.95 + 0.05 tokens) from adding a whole second.
          retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000 - 1e-9)),
        };
      }
    }
    for (const { bucket } of buckets) bucket.tokens -= 1;
    return { ok: true };
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, max: number, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxBuckets) this.sweep(now);
      bucket = { tokens: max, updatedAt: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(max, bucket.tokens + (elapsed * max) / this.windowMs);
    bucket.updatedAt = now;
    return bucket;
  }

  /** Drops buckets idle long enough to be full again; if that is not enough, the oldest. */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets)
      if (now - bucket.updatedAt >= this.windowMs) this.buckets.delete(key);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxBuckets * 0.9) break;
      this.buckets.delete(key);
    }
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

/** The token is never kept: its bucket is named by a hash of the credential the client sent. */
export function tokenKey(authorization: string): string {
  const bearer = /^bearer\s+(.+)$/i.exec(authorization.trim());
  const credential = bearer ? (bearer[1] as string).trim() : authorization.trim();
  return createHash('sha256').update(credential).digest('base64url');
}
