import { describe, expect, it } from 'vitest';
import { parseRoute, paths, type Route, statementFromHash } from './routes.ts';

function route(href: string): Route {
  const url = new URL(href, 'http://reader.test');
  return parseRoute(url);
}

describe('routes', () => {
  it('reads every page from its URL', () => {
    expect(route('/')).toEqual({ page: 'home' });
    expect(route('/articles/tass-2024-10-24-russia-dprk-treaty')).toEqual({
      page: 'article',
      slug: 'tass-2024-10-24-russia-dprk-treaty',
      statementId: null,
    });
    expect(route('/articles/a#statement-U3Q6MQ')).toMatchObject({ statementId: 'U3Q6MQ' });
    expect(route('/actors')).toEqual({ page: 'actors', kind: null });
    expect(route('/actors?kind=STATE')).toEqual({ page: 'actors', kind: 'STATE' });
    expect(route('/actors?kind=ALIEN')).toEqual({ page: 'actors', kind: null });
    expect(route('/actors/andrey-rudenko')).toEqual({
      page: 'actor',
      slug: 'andrey-rudenko',
      order: 'newest',
    });
    expect(route('/actors/andrey-rudenko?order=oldest')).toMatchObject({ order: 'oldest' });
    expect(route('/treaties')).toEqual({ page: 'treaties' });
    expect(route('/treaties/un-charter')).toEqual({ page: 'treaty', slug: 'un-charter' });
    expect(route('/treaties/un-charter/provisions/51')).toEqual({
      page: 'provision',
      treatySlug: 'un-charter',
      number: '51',
    });
    expect(route('/search?q=Article+51&type=STATEMENT&speaker=QQ&treaty=TT&year=2024')).toEqual({
      page: 'search',
      params: { query: 'Article 51', type: 'STATEMENT', speakerId: 'QQ', treatyId: 'TT', year: 2024 },
    });
  });

  it('ignores a trailing slash and refuses what it does not know', () => {
    expect(route('/treaties/')).toEqual({ page: 'treaties' });
    expect(route('/nowhere')).toEqual({ page: 'not-found', path: '/nowhere' });
    expect(route('/articles/a/b')).toMatchObject({ page: 'not-found' });
    expect(route('/articles/%E0%A4%A')).toMatchObject({ page: 'not-found' });
    expect(route('/search?q=x&type=EVERYTHING&year=-3')).toMatchObject({
      params: { type: null, year: null },
    });
  });

  it('writes URLs that read back as the same page', () => {
    const cases: [string, Route['page']][] = [
      [paths.home(), 'home'],
      [paths.article('a b/c'), 'article'],
      [paths.actor('x', 'oldest'), 'actor'],
      [paths.actors('PERSON'), 'actors'],
      [paths.treaty('t'), 'treaty'],
      [paths.provision('t', 'XIX'), 'provision'],
      [paths.search({ query: 'a&b', year: 2024 }), 'search'],
    ];
    for (const [href, page] of cases) expect(route(href).page, href).toBe(page);
    expect(route(paths.article('a b/c', 'S:1'))).toEqual({
      page: 'article',
      slug: 'a b/c',
      statementId: 'S:1',
    });
    expect(route(paths.provision('t', 'XIX'))).toMatchObject({ number: 'XIX' });
    expect(route(paths.search({ query: 'a&b', year: 2024 }))).toMatchObject({
      params: { query: 'a&b', year: 2024 },
    });
    expect(paths.actor('x')).toBe('/actors/x');
  });

  it('reads a statement from the fragment only when it names one', () => {
    expect(statementFromHash('')).toBeNull();
    expect(statementFromHash('#top')).toBeNull();
    expect(statementFromHash('#statement-')).toBeNull();
    expect(statementFromHash('#statement-%E0%A4%A')).toBeNull();
  });
  it('reads the editorial workspace’s pages and the review queue’s filters, dropping a confidence out of range', () => {
    expect(route('/editor')).toEqual({ page: 'editor-sign-in' });
    expect(route('/editor/drafts')).toEqual({ page: 'editor-drafts' });
    expect(route(paths.editorImport())).toEqual({ page: 'editor-import' });
    expect(route(paths.editorActors())).toEqual({ page: 'editor-actors' });
    const filter = { articleId: 'A:1', speakerId: 'S:2', maxConfidence: 0.5 };
    expect(paths.editorReview(filter)).toBe('/editor/review?article=A%3A1&speaker=S%3A2&max=0.5');
    expect(route(paths.editorReview(filter))).toEqual({ page: 'editor-review', filter });
    expect(route('/editor/review?max=7')).toEqual({
      page: 'editor-review',
      filter: { articleId: null, speakerId: null, maxConfidence: null },
    });
    expect(route('/editor/elsewhere')).toMatchObject({ page: 'not-found' });
  });
});
