// Which format a source is, from its content (the extension or content type only breaks ties), and
// its items. Anything that is not XML, JSON or HTML is left to the wire-story text reader.
import { ImportError } from '../errors.ts';
import { isNinjs, readNewsMl, readNinjs } from './agency.ts';
import { decodeSource } from './charset.ts';
import { readAtom, readRss } from './feeds.ts';
import { readArticlePage } from './html.ts';
import type { SourceFormat, SourceItem } from './item.ts';
import { child, parseXml } from './xml.ts';

export type DetectedFormat = SourceFormat | 'text' | 'bundle';

/** The first element of an XML or HTML document, past the declaration, comments and doctype. */
const ROOT = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>)*<([\w:.-]+)/i;

/** The format of a source from its content: JSON's shape, or the root element of XML and HTML. */
export function detectFormat(text: string): DetectedFormat {
  const body = text.replace(/^\ufeff/, '');
  const head = body.trimStart().slice(0, 1);
  if (head === '{' || head === '[') {
    // One JSON document is a ninjs item (or list); one object per line is a bundle.
    try {
      return isNinjs(JSON.parse(body)) ? 'ninjs' : 'bundle';
    } catch {
      try {
        JSON.parse(body.trimStart().split('\n', 1)[0] ?? '');
        return 'bundle';
      } catch {
        return 'ninjs'; // not JSON at all: reported as malformed JSON
      }
    }
  }
  if (head !== '<') return 'text';
  const root = (ROOT.exec(body.slice(0, 64 * 1024))?.[1] ?? '').toLowerCase().replace(/^\w+:/, '');
  if (root === 'rss') return 'rss';
  if (root === 'feed') return 'atom';
  if (root === 'newsitem' || root === 'newsmessage') return 'newsml';
  if (root === 'html' || /^<!doctype html/i.test(body.trimStart()) || HTML_ELEMENTS.has(root)) return 'html';
  // Some other XML: read as such, and refused with its root element named.
  return 'rss';
}

const HTML_ELEMENTS = new Set([
  'head',
  'body',
  'div',
  'p',
  'article',
  'main',
  'section',
  'meta',
  'title',
  'link',
]);

const FORMAT_NAMES: Record<SourceFormat, string> = {
  rss: 'an RSS feed',
  atom: 'an Atom feed',
  ninjs: 'a ninjs item',
  newsml: 'a NewsML-G2 item',
  html: 'a web page',
};

/**
 * The items of a source in one of the news formats. Throws an ImportError for a source that cannot
 * be read at all (malformed, no items, too many); a bad single item is reported per item later.
 */
export function readItems(text: string, format: SourceFormat, url: string | null = null): SourceItem[] {
  if (format === 'ninjs') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ImportError(
        `the JSON is malformed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return readNinjs(value);
  }
  if (format === 'html') {
    const page = readArticlePage(text);
    return [
      {
        // The page's canonical URL names the article better than the address it was fetched from.
        id: canonicalUrl(page.url, url),
        headline: page.headline,
        standfirst: page.standfirst,
        paragraphs: page.paragraphs,
        published: page.published
          ? Number.isNaN(Date.parse(page.published))
            ? null
            : new Date(page.published).toISOString()
          : null,
        place: null,
        byline: page.byline,
      },
    ];
  }
  // XML: the root element decides, whatever the first characters suggested.
  const document = parseXml(text);
  if (child(document, 'rss') !== undefined) return readRss(document);
  if (child(document, 'feed') !== undefined) return readAtom(document);
  if (child(document, 'newsItem') !== undefined || child(document, 'newsMessage') !== undefined)
    return readNewsMl(document);
  const root = Object.keys(document).find((k) => !k.startsWith('?')) ?? 'nothing';
  throw new ImportError(
    `the XML is none of the formats read (its root element is <${root}>); expected ${Object.values(FORMAT_NAMES).slice(0, 4).join(', ')}`,
  );
}

export const formatName = (format: SourceFormat) => FORMAT_NAMES[format];

export type ReadSource = { format: 'text' | 'bundle' } | { format: SourceFormat; items: SourceItem[] };

/**
 * A source's bytes, read by their content: items of a news format, or word that it is a wire-story
 * text or a bundle (their own readers take the bytes). `url` is the page's identity for HTML.
 */
export function readSource(bytes: Uint8Array, contentType: string | null, url: string | null): ReadSource {
  if (bytes.length === 0) throw new ImportError('the source is empty');
  const text = decodeSource(bytes, contentType);
  const format = detectFormat(text);
  if (format === 'text' || format === 'bundle') return { format };
  return { format, items: readItems(text, format, url) };
}

function canonicalUrl(canonical: string | null, fetched: string | null): string | null {
  if (!canonical) return fetched;
  try {
    return new URL(canonical, fetched ?? undefined).toString();
  } catch {
    return fetched ?? canonical;
  }
}
