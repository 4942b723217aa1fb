import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addressKey, RateLimiter, tokenKey } from './rate-limit.ts';

// The machine's Redis (CI runs one too); each test counts under keys of its own.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const freshPrefix = () => `chancery-test-${randomBytes(6).toString('hex')}`;

describe('rate limiter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('allows a window’s allowance, then refuses until the window closes', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const limiter = new RateLimiter({ perIp: 3, perToken: 0 });
    for (let i = 0; i < 3; i++) expect((await limiter.take({ ip: '198.51.100.7' })).ok).toBe(true);
    expect(await limiter.take({ ip: '198.51.100.7' })).toEqual({
      ok: false,
      limit: 'ip',
      max: 3,
      windowSeconds: 60,
      retryAfterSeconds: 60,
    });
    vi.setSystemTime(1_000_000 + 59_000);
    expect(await limiter.take({ ip: '198.51.100.7' })).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    vi.setSystemTime(1_000_000 + 60_001);
    expect((await limiter.take({ ip: '198.51.100.7' })).ok).toBe(true);
    // Another address has its own allowance.
    expect((await limiter.take({ ip: '198.51.100.8' })).ok).toBe(true);
  });

  it('limits a token wherever it comes from, keyed on a hash of the credential', async () => {
    const limiter = new RateLimiter({ perIp: 100, perToken: 2 });
    const authorization = 'Bearer chy_secret';
    expect((await limiter.take({ ip: '203.0.113.1', authorization })).ok).toBe(true);
    expect((await limiter.take({ ip: '203.0.113.2', authorization })).ok).toBe(true);
    expect(await limiter.take({ ip: '203.0.113.3', authorization })).toMatchObject({
      ok: false,
      limit: 'token',
    });
    expect((await limiter.take({ ip: '203.0.113.3', authorization: 'Bearer another' })).ok).toBe(true);
    expect(tokenKey(authorization)).not.toContain('chy_secret');
    expect(tokenKey('bearer   chy_secret ')).toBe(tokenKey(authorization));
  });

  it('a request refused by one limit uses up none of the other', async () => {
    const limiter = new RateLimiter({ perIp: 3, perToken: 1 });
    const authorization = 'Bearer t';
    expect((await limiter.take({ ip: '192.0.2.1', authorization })).ok).toBe(true);
    expect(await limiter.take({ ip: '192.0.2.1', authorization })).toMatchObject({
      ok: false,
      limit: 'token',
    });
    expect(await limiter.take({ ip: '192.0.2.1', authorization })).toMatchObject({
      ok: false,
      limit: 'token',
    });
    // The address has spent one of its three.
    expect((await limiter.take({ ip: '192.0.2.1' })).ok).toBe(true);
    expect((await limiter.take({ ip: '192.0.2.1' })).ok).toBe(true);
    expect(await limiter.take({ ip: '192.0.2.1' })).toMatchObject({ ok: false, limit: 'ip' });
  });

  it('counts an IPv6 /64 as one client and an IPv4-mapped address as IPv4', () => {
    expect(addressKey('2001:db8:1:2::1')).toBe(addressKey('2001:db8:1:2:ffff:0:0:9'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::ffff:192.0.2.5')).toBe('192.0.2.5');
    expect(addressKey('192.0.2.5')).toBe('192.0.2.5');
  });

  it('0 turns a limit off', async () => {
    const limiter = new RateLimiter({ perIp: 0, perToken: 0 });
    for (let i = 0; i < 100; i++)
      expect((await limiter.take({ ip: '192.0.2.1', authorization: 'Bearer x' })).ok).toBe(true);
    expect(limiter.store).toBe('memory');
  });

  it('with Redis, limiters in different processes share one count', async () => {
    const redis = { url: REDIS_URL, keyPrefix: freshPrefix() };
    // Two limiters stand for two processes: each has its own connection and memory.
    const shared = [0, 1].map(() => new RateLimiter({ perIp: 5, perToken: 0, redis }));
    const other = new RateLimiter({ perIp: 5, perToken: 0, redis: { ...redis, keyPrefix: freshPrefix() } });
    try {
      await vi.waitFor(() => expect(shared.map((l) => l.store)).toEqual(['redis', 'redis']));
      const verdicts = [];
      for (let i = 0; i < 8; i++)
        verdicts.push(await (shared[i % 2] as RateLimiter).take({ ip: '192.0.2.9' }));
      expect(verdicts.filter((v) => v.ok)).toHaveLength(5);
      // Another key prefix is another count.
      await vi.waitFor(() => expect(other.store).toBe('redis'));
      expect((await other.take({ ip: '192.0.2.9' })).ok).toBe(true);
    } finally {
      await Promise.all([...shared, other].map((l) => l.close()));
    }
  });

  it('with Redis unreachable, counts in memory and says so once', async () => {
    const changes: boolean[] = [];
    // Port 1: nothing listens there.
    const limiter = new RateLimiter({
      perIp: 2,
      perToken: 0,
      redis: { url: 'redis://127.0.0.1:1', keyPrefix: freshPrefix() },
      onSharedChange: (shared) => changes.push(shared),
    });
    try {
      expect((await limiter.take({ ip: '192.0.2.10' })).ok).toBe(true);
      expect((await limiter.take({ ip: '192.0.2.10' })).ok).toBe(true);
      expect(await limiter.take({ ip: '192.0.2.10' })).toMatchObject({ ok: false, limit: 'ip' });
      await vi.waitFor(() => expect(changes).toEqual([false]));
      expect(limiter.store).toBe('fallback');
    } finally {
      await limiter.close();
    }
  });
});
