// RSS 2.0 and Atom feeds: each item's title, summary and full content (RSS content:encoded, Atom
// content), its HTML turned into paragraphs. A summary with no full content is the story's text.
import { ImportError } from '../errors.ts';
import { htmlToLine, htmlToParagraphs, oneLine } from './html.ts';
import { instantOf, MAX_FEED_ITEMS, type SourceItem, withoutRepeatedStandfirst } from './item.ts';
import { all, attr, child, rawMarkup, textOf, type XmlNode } from './xml.ts';

function checkCount(count: number, what: string): void {
  if (count === 0) throw new ImportError(`the feed has no ${what}s`);
  if (count > MAX_FEED_ITEMS) {
    throw new ImportError(
      `the feed has ${count.toLocaleString('en')} ${what}s; at most ${MAX_FEED_ITEMS.toLocaleString('en')} are read from one feed (split it)`,
    );
  }
}

export function readRss(document: XmlNode): SourceItem[] {
  const channel = child(child(document, 'rss'), 'channel');
  const items = all(child(channel, 'item'));
  checkCount(items.length, 'item');
  return items.map((item) => {
    const summary = htmlToLine(textOf(child(item, 'description')));
    const content = textOf(child(item, 'content:encoded') ?? child(item, 'encoded'));
    const paragraphs = content
      ? htmlToParagraphs(content)
      : htmlToParagraphs(textOf(child(item, 'description')));
    const guid = oneLine(textOf(child(item, 'guid')));
    const link = oneLine(textOf(child(item, 'link')));
    return withoutRepeatedStandfirst({
      id: guid || link || null,
      headline: htmlToLine(textOf(child(item, 'title'))),
      standfirst: content ? summary : '',
      paragraphs,
      published: instantOf(textOf(child(item, 'pubDate'))) ?? instantOf(textOf(child(item, 'dc:date'))),
      place: null,
      byline: oneLine(textOf(child(item, 'dc:creator') ?? child(item, 'author'))) || null,
    });
  });
}

/** An Atom text construct (title, summary, content): type text, html or xhtml. */
function atomParagraphs(value: unknown, raw: boolean): string[] {
  const type = attr(value, 'type') ?? 'text';
  // `content` arrives as raw markup (see xml.ts), everything else with its entities decoded.
  const text = raw ? rawMarkup(textOf(value), type) : textOf(value);
  if (type === 'text') {
    return text
      .split(/\r?\n\s*\r?\n/)
      .map(oneLine)
      .filter(Boolean);
  }
  return htmlToParagraphs(text);
}

export function readAtom(document: XmlNode): SourceItem[] {
  const feed = child(document, 'feed');
  const entries = all(child(feed, 'entry'));
  checkCount(entries.length, 'entry');
  return entries.map((entry) => {
    const summaryValue = child(entry, 'summary');
    const contentValue = child(entry, 'content');
    const summary = summaryValue === undefined ? '' : oneLine(atomParagraphs(summaryValue, false).join(' '));
    const paragraphs =
      contentValue !== undefined ? atomParagraphs(contentValue, true) : atomParagraphs(summaryValue, false);
    const links = all(child(entry, 'link'));
    const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate');
    const titleValue = child(entry, 'title');
    return withoutRepeatedStandfirst({
      id: oneLine(textOf(child(entry, 'id'))) || attr(alternate, 'href') || null,
      headline:
        (attr(titleValue, 'type') ?? 'text') === 'text'
          ? oneLine(textOf(titleValue))
          : htmlToLine(textOf(titleValue)),
      standfirst: contentValue !== undefined ? summary : '',
      paragraphs,
      published: instantOf(textOf(child(entry, 'published'))) ?? instantOf(textOf(child(entry, 'updated'))),
      place: null,
      byline: oneLine(textOf(child(child(entry, 'author'), 'name'))) || null,
    });
  });
}
