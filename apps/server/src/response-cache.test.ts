import { describe, expect, it } from 'vitest';
import { type CachedResponse, ResponseCache } from './response-cache.ts';

const response = (body: string): CachedResponse => ({
  status: 200,
  headers: [['content-type', 'application/json']],
  body,
  operationName: null,
  cost: 1,
});

function liveCache(maxBytes = 1024 * 1024): ResponseCache {
  const cache = new ResponseCache(maxBytes);
  cache.live();
  return cache;
}

describe('the response cache', () => {
  it('serves what it stored until a table the response read changes', () => {
    const cache = liveCache();
    cache.store('a', cache.begin(), response('{"data":1}'), ['statements', 'actors']);
    cache.store('b', cache.begin(), response('{"data":2}'), ['treaties']);
    expect(cache.lookup('a')?.body).toBe('{"data":1}');
    cache.changed('actors');
    expect(cache.lookup('a')).toBeNull();
    expect(cache.lookup('b')?.body).toBe('{"data":2}');
  });

  it('does not keep a response computed while one of its tables changed', () => {
    const cache = liveCache();
    const stamp = cache.begin();
    cache.changed('statements'); // a write commits while the request runs
    expect(cache.store('a', stamp, response('old'), ['statements'])).toBe(false);
    expect(cache.lookup('a')).toBeNull();
    // A change to a table it did not read does not matter.
    const later = cache.begin();
    cache.changed('treaties');
    expect(cache.store('a', later, response('new'), ['statements'])).toBe(true);
    expect(cache.lookup('a')?.body).toBe('new');
  });

  it('stands aside while the change feed is down, and starts empty when it is back', () => {
    const cache = new ResponseCache(1024 * 1024);
    expect(cache.store('a', cache.begin(), response('x'), [])).toBe(false); // not live yet
    cache.live();
    const before = cache.begin();
    cache.store('a', before, response('x'), []);
    cache.lost();
    expect(cache.lookup('a')).toBeNull();
    expect(cache.store('b', cache.begin(), response('y'), [])).toBe(false);
    cache.live();
    // Begun before the feed came back: writes may have gone unseen meanwhile.
    expect(cache.store('c', before, response('z'), [])).toBe(false);
    expect(cache.store('d', cache.begin(), response('w'), [])).toBe(true);
    expect(cache.stats()).toMatchObject({ entries: 1, live: true });
  });

  it('stays within its size, dropping the least recently used first', () => {
    const body = 'x'.repeat(1_000);
    const cache = liveCache(20_000); // ~2.3 kB per entry: room for 8
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'])
      cache.store(key, cache.begin(), response(body), []);
    expect(cache.lookup('k1')).not.toBeNull(); // k1 is now the most recently used
    cache.store('k9', cache.begin(), response(body), []);
    expect(cache.lookup('k2')).toBeNull();
    expect(cache.lookup('k1')).not.toBeNull();
    expect(cache.lookup('k9')).not.toBeNull();
    expect(cache.stats().bytes).toBeLessThanOrEqual(20_000);
  });

  it('does not let one large response push out the rest', () => {
    const cache = liveCache(80_000);
    cache.store('small', cache.begin(), response('{}'), []);
    expect(cache.store('large', cache.begin(), response('x'.repeat(20_000)), [])).toBe(false);
    expect(cache.lookup('small')).not.toBeNull();
  });
});
