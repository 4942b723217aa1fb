import type { ReaderArticleQuery } from '@chancery/sdk/graphql';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Router } from 'wouter';
import { ArticleView } from './article.tsx';

type Article = NonNullable<ReaderArticleQuery['article']>;

const rudenko = {
  id: 'A1',
  name: 'Andrey Rudenko',
  slug: 'andrey-rudenko',
  kind: 'PERSON',
  countryCode: 'RU',
} as const;
const treaty = {
  id: 'T1',
  slug: 'partnership',
  title: 'Treaty on Comprehensive Strategic Partnership',
  shortTitle: 'Partnership Treaty',
  status: 'PENDING_RATIFICATION',
  signedOn: null,
} as const;
const article4 = {
  id: 'P4',
  number: '4',
  heading: null,
  summary: 'Mutual military assistance.',
  treaty,
} as const;
const paragraphs = [
  'MOSCOW, October 24. /TASS/. The treaty is defensive, Rudenko said.',
  '"Article 4 is of particular importance," Rudenko said.',
];
const source = {
  article: { id: 'R1', slug: 'story', headline: 'Headline', publishedAt: '2024-10-24T00:00:00.000Z' },
};

const article: Article = {
  id: 'R1',
  slug: 'story',
  headline: 'Treaty not directed against third countries',
  standfirst: 'The standfirst.',
  publishedAt: '2024-10-24T00:00:00.000Z',
  language: 'en',
  status: 'PUBLISHED',
  publisher: { id: 'A2', name: 'TASS', slug: 'tass', kind: 'ORGANIZATION', countryCode: 'RU' },
  byline: null,
  url: null,
  dateline: { place: 'MOSCOW', text: 'MOSCOW, October 24. /TASS/. ' },
  paragraphs: paragraphs.map((text, index) => ({ index, text })),
  mentions: [
    {
      span: { paragraph: 1, start: 1, end: 10, text: 'Article 4' },
      actor: null,
      treaty: null,
      provision: article4,
    },
    {
      span: { paragraph: 1, start: 41, end: 48, text: 'Rudenko' },
      actor: rudenko,
      treaty: null,
      provision: null,
    },
  ],
  treaties: [treaty],
  createdAt: '2024-10-24T00:00:00.000Z',
  updatedAt: '2024-10-24T00:00:00.000Z',
  version: 1,
  statements: {
    totalCount: 2,
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    nodes: [
      {
        id: 'S1',
        text: 'The treaty is defensive',
        kind: 'INDIRECT',
        saidOn: '2024-10-24',
        speakerRole: 'Deputy Foreign Minister',
        cue: 'said',
        occasion: null,
        speaker: rudenko,
        source: { ...source, paragraph: 0, start: 28, end: 51 },
        about: [treaty],
        provisions: [],
      },
      {
        id: 'S2',
        text: 'Article 4 is of particular importance,',
        kind: 'DIRECT',
        saidOn: '2024-10-24',
        speakerRole: 'Deputy Foreign Minister',
        cue: 'said',
        occasion: 'Plenary session of the State Duma',
        speaker: rudenko,
        source: { ...source, paragraph: 1, start: 1, end: 39 },
        about: [treaty],
        provisions: [article4],
      },
    ],
  },
};

describe('the article view', () => {
  // Rendered outside a browser: wouter's links are told the path instead of reading it.
  const html = renderToStaticMarkup(
    <Router ssrPath="/articles/story">
      <ArticleView article={article} statementId="S2" />
    </Router>,
  );
  const page = new DOMParserLike(html);

  it('prints every paragraph exactly, statements and all', () => {
    expect(page.textOf('p.paragraph')).toEqual(paragraphs);
  });

  it('highlights each statement in place as a focusable, labelled control', () => {
    const marks = page.all('mark');
    expect(marks).toHaveLength(2);
    expect(marks[0]).toContain('data-statement-id="S1"');
    expect(marks[0]).toContain('class="statement statement-indirect');
    expect(marks[0]).toContain('role="button"');
    expect(marks[0]).toContain('tabindex="0"');
    expect(marks[0]).toContain('aria-describedby="statement-description-1"');
    expect(marks[1]).toContain('class="statement statement-direct is-selected');
    expect(marks[1]).toContain('aria-pressed="true"');
    expect(html).toContain('Reported speech by Andrey Rudenko. Press Enter for details.');
  });

  it('links names outside statements and only marks them inside one (no link inside a control)', () => {
    expect(page.all('mark')[1]).toContain(
      '<span class="mention" title="Article 4 of the Partnership Treaty">Article 4</span>',
    );
    expect(page.all('mark').join('')).not.toContain('<a ');
    expect(html).toContain(
      '<a title="Andrey Rudenko" href="/actors/andrey-rudenko" class="mention">Rudenko</a>',
    );
    expect(html).toContain('<span class="dateline">MOSCOW, October 24. /TASS/.</span>');
  });

  it('shows the pinned statement’s speaker, kind and what it is about in the side panel', () => {
    const panel = page.all('section#statement-panel')[0]!;
    expect(panel).toContain('Statement 2');
    expect(panel).toContain('<a href="/actors/andrey-rudenko" class="speaker">Andrey Rudenko</a>');
    expect(panel).toContain('Direct quote');
    expect(panel).toContain('Plenary session of the State Duma');
    expect(panel).toContain('<a href="/treaties/partnership/provisions/4">Article 4</a>');
  });
});

/** Just enough HTML reading for these assertions, without a DOM library. */
class DOMParserLike {
  constructor(private readonly html: string) {}

  all(selector: string): string[] {
    const [tag, rest] = selector.split(/(?=[.#])/) as [string, string | undefined];
    const open = new RegExp(`<${tag}(\\s[^>]*)?>`, 'g');
    const found: string[] = [];
    for (const match of this.html.matchAll(open)) {
      const attributes = match[1] ?? '';
      if (rest?.startsWith('.') && !new RegExp(`class="[^"]*\\b${rest.slice(1)}\\b`).test(attributes))
        continue;
      if (rest?.startsWith('#') && !attributes.includes(`id="${rest.slice(1)}"`)) continue;
      found.push(this.element(match.index, tag));
    }
    return found;
  }

  textOf(selector: string): string[] {
    return this.all(selector).map((element) =>
      element
        .replace(/<[^>]+>/g, '')
        .replaceAll('&quot;', '"')
        .replaceAll('&amp;', '&'),
    );
  }

  /** The element starting at `start`, up to its matching close tag. */
  private element(start: number, tag: string): string {
    const pattern = new RegExp(`<(/?)${tag}(\\s[^>]*)?>`, 'g');
    pattern.lastIndex = start;
    let depth = 0;
    for (const match of this.html.matchAll(pattern)) {
      if (match.index < start) continue;
      depth += match[1] ? -1 : 1;
      if (depth === 0) return this.html.slice(start, match.index + match[0].length);
    }
    return this.html.slice(start);
  }
}
