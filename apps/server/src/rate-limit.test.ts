import { describe, expect, it } from 'vitest';
import { addressKey, RateLimiter, tokenKey } from './rate-limit.ts';

const clock = () => {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('rate limiter', () => {
  it('allows a minute’s allowance in a burst, then one request per 1/limit of a minute', () => {
    const time = clock();
    const limiter = new RateLimiter({ perIp: 3, perToken: 0, now: time.now });
    for (let i = 0; i < 3; i++) expect(limiter.take({ ip: '198.51.100.7' }).ok).toBe(true);
    const refused = limiter.take({ ip: '198.51.100.7' });
    expect(refused).toEqual({ ok: false, limit: 'ip', max: 3, windowSeconds: 60, retryAfterSeconds: 20 });
    time.advance(19_000);
    expect(limiter.take({ ip: '198.51.100.7' })).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    time.advance(1_000);
    expect(limiter.take({ ip: '198.51.100.7' }).ok).toBe(true);
    // Another address has its own allowance.
    expect(limiter.take({ ip: '198.51.100.8' }).ok).toBe(true);
  });

  it('limits a token wherever it comes from, keyed on a hash of the credential', () => {
    const time = clock();
    const limiter = new RateLimiter({ perIp: 100, perToken: 2, now: time.now });
    const authorization = 'Bearer chy_secret';
    expect(limiter.take({ ip: '203.0.113.1', authorization }).ok).toBe(true);
    expect(limiter.take({ ip: '203.0.113.2', authorization }).ok).toBe(true);
    expect(limiter.take({ ip: '203.0.113.3', authorization })).toMatchObject({ ok: false, limit: 'token' });
    expect(limiter.take({ ip: '203.0.113.3', authorization: 'Bearer another' }).ok).toBe(true);
    expect(tokenKey(authorization)).not.toContain('chy_secret');
    expect(tokenKey('bearer   chy_secret ')).toBe(tokenKey(authorization));
  });

  it('a request refused by one limit uses up none of the other', () => {
    const time = clock();
    const limiter = new RateLimiter({ perIp: 3, perToken: 1, now: time.now });
    const authorization = 'Bearer t';
    expect(limiter.take({ ip: '192.0.2.1', authorization }).ok).toBe(true);
    expect(limiter.take({ ip: '192.0.2.1', authorization })).toMatchObject({ ok: false, limit: 'token' });
    expect(limiter.take({ ip: '192.0.2.1', authorization })).toMatchObject({ ok: false, limit: 'token' });
    // The address has spent one of its three.
    expect(limiter.take({ ip: '192.0.2.1' }).ok).toBe(true);
    expect(limiter.take({ ip: '192.0.2.1' }).ok).toBe(true);
    expect(limiter.take({ ip: '192.0.2.1' })).toMatchObject({ ok: false, limit: 'ip' });
  });

  it('counts an IPv6 /64 as one client and an IPv4-mapped address as IPv4', () => {
    expect(addressKey('2001:db8:1:2::1')).toBe(addressKey('2001:db8:1:2:ffff:0:0:9'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::ffff:192.0.2.5')).toBe('192.0.2.5');
    expect(addressKey('192.0.2.5')).toBe('192.0.2.5');
  });

  it('keeps memory bounded: idle buckets go first, then the oldest', () => {
    const time = clock();
    const limiter = new RateLimiter({ perIp: 10, perToken: 0, now: time.now, maxBuckets: 100 });
    for (let i = 0; i < 100; i++) limiter.take({ ip: `10.0.0.${i}` });
    time.advance(60_000);
    limiter.take({ ip: '10.0.1.1' });
    expect(limiter.size).toBe(1);
    for (let i = 0; i < 1_000; i++) limiter.take({ ip: `10.1.${Math.floor(i / 256)}.${i % 256}` });
    expect(limiter.size).toBeLessThanOrEqual(100);
  });

  it('0 turns a limit off', () => {
    const limiter = new RateLimiter({ perIp: 0, perToken: 0 });
    for (let i = 0; i < 1_000; i++)
      expect(limiter.take({ ip: '192.0.2.1', authorization: 'Bearer x' }).ok).toBe(true);
    expect(limiter.size).toBe(0);
  });
});
