import { describe, expect, it } from 'vitest';
import { assertPageArgs } from './pagination.ts';
import { SLUG_PATTERN, slugify } from './slug.ts';
import { stableId } from './stable-id.ts';

describe('slugify', () => {
  it.each([
    ['Andrey Rudenko', 'andrey-rudenko'],
    ["Democratic People's Republic of Korea", 'democratic-peoples-republic-of-korea'],
    ['Zürich — Genève', 'zurich-geneve'],
    ['  ', 'untitled'],
    ['Статья', 'untitled'],
  ])('%j → %j', (text, slug) => {
    expect(slugify(text)).toBe(slug);
    expect(slugify(text)).toMatch(SLUG_PATTERN);
  });

  it('keeps slugs to 80 characters without a trailing dash', () => {
    const slug = slugify('word '.repeat(40));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug).toMatch(SLUG_PATTERN);
  });
});

describe('stableId', () => {
  it('is a version-5 UUID that depends only on the name', () => {
    expect(stableId('seed:actor:russia')).toBe(stableId('seed:actor:russia'));
    expect(stableId('seed:actor:russia')).not.toBe(stableId('seed:actor:north-korea'));
    expect(stableId('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('page sizes', () => {
  it.each([1, 20, 100])('accepts first: %i', (first) =>
    expect(() => assertPageArgs({ first })).not.toThrow(),
  );
  it.each([0, -1, 101, 2.5])('rejects first: %d and says the range', (first) => {
    expect(() => assertPageArgs({ first })).toThrow(/`first` must be an integer from 1 to 100/);
  });
  it('rejects first and last together', () => {
    expect(() => assertPageArgs({ first: 1, last: 1 })).toThrow(/either `first` or `last`/);
  });
});
