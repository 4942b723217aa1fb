import { parse } from 'regexparam';
import { describe, expect, it } from 'vitest';
import { matchRoute } from 'wouter';
import {
  decodeSegment,
  parseActorKind,
  parseReviewFilter,
  parseSearchParams,
  parseStatementOrder,
  paths,
  routePatterns,
  statementFromHash,
} from './routes.ts';

type PageName = keyof typeof routePatterns;

/** The page wouter picks for a URL, as app.tsx asks it (first pattern that matches, in order). */
function page(href: string): { name: PageName; params: Record<string, string | null> } | null {
  const url = new URL(href, 'http://reader.test');
  for (const [name, pattern] of Object.entries(routePatterns) as [PageName, string][]) {
    const [matches, params] = matchRoute(parse, pattern, url.pathname);
    if (matches)
      return {
        name,
        params: Object.fromEntries(
          Object.entries(params ?? {})
            .filter(([key]) => !/^\d+$/.test(key))
            .map(([key, value]) => [key, decodeSegment(value ?? '')]),
        ),
      };
  }
  return null;
}

describe('routes', () => {
  it('matches every page of the app by its path', () => {
    expect(page('/')).toEqual({ name: 'home', params: {} });
    expect(page('/articles/tass-2024-10-24-russia-dprk-treaty')).toEqual({
      name: 'article',
      params: { slug: 'tass-2024-10-24-russia-dprk-treaty' },
    });
    expect(page('/actors?kind=STATE')).toEqual({ name: 'actors', params: {} });
    expect(page('/actors/andrey-rudenko?order=oldest')).toEqual({
      name: 'actor',
      params: { slug: 'andrey-rudenko' },
    });
    expect(page('/treaties')?.name).toBe('treaties');
    expect(page('/treaties/un-charter')).toEqual({ name: 'treaty', params: { slug: 'un-charter' } });
    expect(page('/treaties/un-charter/provisions/51')).toEqual({
      name: 'provision',
      params: { treatySlug: 'un-charter', number: '51' },
    });
    expect(page('/search?q=x')?.name).toBe('search');
    expect(page('/editor')?.name).toBe('editor');
    expect(page('/editor/review?max=0.5')?.name).toBe('editorReview');
    expect(page('/editor/drafts')?.name).toBe('editorDrafts');
    expect(page('/editor/import')?.name).toBe('editorImport');
    expect(page('/editor/actors')?.name).toBe('editorActors');
  });

  it('ignores a trailing slash and matches nothing it does not know (the 404 page)', () => {
    expect(page('/treaties/')?.name).toBe('treaties');
    expect(page('/nowhere')).toBeNull();
    expect(page('/articles/a/b')).toBeNull();
    expect(page('/editor/elsewhere')).toBeNull();
    // A malformed escape matches the pattern but names nothing: app.tsx shows the 404 page.
    expect(page('/articles/%E0%A4%A')?.params.slug).toBeNull();
  });

  it('writes URLs that read back as the same page, with the same values', () => {
    expect(page(paths.article('a b/c', 'S:1'))).toEqual({ name: 'article', params: { slug: 'a b/c' } });
    expect(statementFromHash(new URL(paths.article('a b/c', 'S:1'), 'http://x').hash)).toBe('S:1');
    expect(page(paths.actor('x', 'oldest'))).toEqual({ name: 'actor', params: { slug: 'x' } });
    expect(parseStatementOrder(new URL(paths.actor('x', 'oldest'), 'http://x').search)).toBe('oldest');
    expect(paths.actor('x')).toBe('/actors/x');
    expect(page(paths.actors('PERSON'))?.name).toBe('actors');
    expect(page(paths.treaty('t%25'))).toEqual({ name: 'treaty', params: { slug: 't%25' } });
    expect(page(paths.provision('t', 'XIX'))).toEqual({
      name: 'provision',
      params: { treatySlug: 't', number: 'XIX' },
    });
    const search = paths.search({ query: 'a&b', year: 2024 });
    expect(page(search)?.name).toBe('search');
    expect(parseSearchParams(new URL(search, 'http://x').search)).toMatchObject({ query: 'a&b', year: 2024 });
  });

  it('reads the query strings, dropping what it does not understand', () => {
    expect(parseActorKind('?kind=STATE')).toBe('STATE');
    expect(parseActorKind('?kind=ALIEN')).toBeNull();
    expect(parseActorKind('')).toBeNull();
    expect(parseStatementOrder('?order=sideways')).toBe('newest');
    expect(parseSearchParams('?q=Article+51&type=STATEMENT&speaker=QQ&treaty=TT&year=2024')).toEqual({
      query: 'Article 51',
      type: 'STATEMENT',
      speakerId: 'QQ',
      treatyId: 'TT',
      year: 2024,
    });
    expect(parseSearchParams('?q=x&type=EVERYTHING&year=-3')).toMatchObject({ type: null, year: null });
  });

  it('reads a statement from the fragment only when it names one', () => {
    expect(statementFromHash('')).toBeNull();
    expect(statementFromHash('#top')).toBeNull();
    expect(statementFromHash('#statement-')).toBeNull();
    expect(statementFromHash('#statement-%E0%A4%A')).toBeNull();
  });

  it('reads the review queue’s filters, dropping a confidence out of range', () => {
    const filter = { articleId: 'A:1', speakerId: 'S:2', maxConfidence: 0.5 };
    expect(paths.editorReview(filter)).toBe('/editor/review?article=A%3A1&speaker=S%3A2&max=0.5');
    expect(parseReviewFilter(new URL(paths.editorReview(filter), 'http://x').search)).toEqual(filter);
    expect(parseReviewFilter('?max=7')).toEqual({ articleId: null, speakerId: null, maxConfidence: null });
  });
});
