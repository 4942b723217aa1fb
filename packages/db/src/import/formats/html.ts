// HTML to paragraphs, and a web page to its article. Feed and agency items carry their text as HTML;
// a story is one paragraph per block. Pages are read with Mozilla's Readability (Firefox's reader
// view) on linkedom's DOM: which part of a page is the article is its job, not ours.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { ImportError } from '../errors.ts';

/** Elements that end a paragraph before and after them. */
const BLOCK = new Set([
  'P',
  'DIV',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'SECTION',
  'ARTICLE',
  'UL',
  'OL',
  'DL',
  'DT',
  'DD',
  'TABLE',
  'TR',
  'TD',
  'TH',
  'HEADER',
  'FOOTER',
  'MAIN',
  'ASIDE',
  'HR',
  'BODY',
  'HTML',
  'ADDRESS',
]);
/** Elements whose text is never part of the story. */
const SKIP = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'IFRAME',
  'SVG',
  'FIGCAPTION',
  'FIGURE',
  'NAV',
  'BUTTON',
  'FORM',
  'HEAD',
  'TITLE',
]);

/** One line of text: runs of white space (new lines included) become one space. */
export const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

type DomNode = {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: Iterable<DomNode>;
};

function paragraphsOf(root: DomNode): string[] {
  const paragraphs: string[] = [];
  let current = '';
  const flush = () => {
    const text = oneLine(current);
    if (text) paragraphs.push(text);
    current = '';
  };
  const walk = (node: DomNode) => {
    if (node.nodeType === 3) {
      current += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const name = node.nodeName.toUpperCase();
    if (SKIP.has(name)) return;
    if (name === 'BR') {
      flush();
      return;
    }
    const block = BLOCK.has(name);
    if (block) flush();
    for (const child of node.childNodes) walk(child);
    if (block) flush();
  };
  walk(root);
  flush();
  return paragraphs;
}

/** The paragraphs of an HTML fragment (a feed item's content, a ninjs body_html). */
export function htmlToParagraphs(html: string): string[] {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return paragraphsOf(document.body as unknown as DomNode);
}

/** The text of an HTML fragment on one line (a title or summary given as HTML). */
export function htmlToLine(html: string): string {
  return oneLine(htmlToParagraphs(html).join(' '));
}

export type PageArticle = {
  headline: string;
  standfirst: string;
  paragraphs: string[];
  published: string | null;
  byline: string | null;
  url: string | null;
};

type PageDocument = ReturnType<typeof parseHTML>['document'];

const meta = (document: PageDocument, ...names: string[]) => {
  for (const name of names) {
    const element = document.querySelector(`meta[property="${name}"], meta[name="${name}"]`);
    const content = element?.getAttribute('content')?.trim();
    if (content) return content;
  }
  return null;
};

/** A web page's article: headline, standfirst (the page's description) and paragraphs. */
export function readArticlePage(html: string): PageArticle {
  const { document } = parseHTML(html);
  const canonical =
    document.querySelector('link[rel="canonical"]')?.getAttribute('href')?.trim() || meta(document, 'og:url');
  const description = meta(document, 'og:description', 'description');
  const h1 = oneLine(document.querySelector('h1')?.textContent ?? '');
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
    charThreshold: 200,
  }).parse();
  const paragraphs = article?.content ? htmlToParagraphs(article.content) : [];
  if (!article || paragraphs.length === 0) {
    throw new ImportError(
      'the page has no article text that could be found (a reader view finds none); give the article page itself, or the feed item',
    );
  }
  const headline = oneLine(h1 || article.title || '');
  // Readability may keep the page's <h1> and standfirst at the top of the article text.
  while (paragraphs.length > 1 && (paragraphs[0] === headline || paragraphs[0] === description))
    paragraphs.shift();
  return {
    headline,
    standfirst: description ? oneLine(description) : '',
    paragraphs,
    published: article.publishedTime ?? meta(document, 'article:published_time'),
    byline: article.byline ? oneLine(article.byline) : null,
    url: canonical || null,
  };
}
