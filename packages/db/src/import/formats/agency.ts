// IPTC's agency formats: ninjs 2.x (JSON; 1.x field names are read too) and NewsML-G2 newsItems
// (XML, alone or in a newsMessage). Both carry an identity (uri, guid), a version date, a byline
// and the place the story was written.
import { ImportError } from '../errors.ts';
import { htmlToLine, htmlToParagraphs, oneLine } from './html.ts';
import { instantOf, MAX_FEED_ITEMS, type SourceItem, withoutRepeatedStandfirst } from './item.ts';
import { all, attr, child, rawMarkup, textOf, type XmlNode } from './xml.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** Does this JSON look like ninjs: an object (or list of them) with a uri and a headline? */
export function isNinjs(value: unknown): boolean {
  const first = Array.isArray(value) ? value[0] : value;
  return (
    isObject(first) &&
    ('headline' in first || 'headlines' in first) &&
    ('uri' in first || 'bodies' in first || 'body_html' in first || 'body_text' in first)
  );
}

/** The text paragraphs of a plain-text body: blank lines or new lines between paragraphs. */
const textParagraphs = (text: string) => text.split(/\r?\n/).map(oneLine).filter(Boolean);

function ninjsItem(item: Json, index: number): SourceItem {
  const headlines = Array.isArray(item.headlines) ? item.headlines.filter(isObject) : [];
  const mainHeadline = headlines.find((h) => !str(h.role) || /main|headline/i.test(str(h.role)));
  const subHeadline = headlines.find((h) => /sub/i.test(str(h.role)));
  const bodies = Array.isArray(item.bodies) ? item.bodies.filter(isObject) : [];
  const htmlBody = str(item.body_html) || str(bodies.find((b) => /html/i.test(str(b.contenttype)))?.value);
  const textBody = str(item.body_text) || str(bodies.find((b) => !/html/i.test(str(b.contenttype)))?.value);
  const paragraphs = htmlBody ? htmlToParagraphs(htmlBody) : textParagraphs(textBody);
  if (paragraphs.length === 0) {
    throw new ImportError(`ninjs item ${index + 1} has no body (body_html, body_text or bodies)`);
  }
  const located = isObject(item.located) ? str(item.located.name) : str(item.located);
  const by = str(item.byline) || str(item.by);
  return withoutRepeatedStandfirst({
    id: oneLine(str(item.uri)) || null,
    headline: oneLine(str(item.headline) || str(mainHeadline?.value)),
    standfirst: htmlToLine(str(item.subheadline) || str(subHeadline?.value) || str(item.description_text)),
    paragraphs,
    published: instantOf(item.firstcreated) ?? instantOf(item.versioncreated),
    place: oneLine(located) || null,
    byline: oneLine(by) || null,
  });
}

export function readNinjs(value: unknown): SourceItem[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length > MAX_FEED_ITEMS) {
    throw new ImportError(
      `the file has ${items.length.toLocaleString('en')} ninjs items; at most ${MAX_FEED_ITEMS.toLocaleString('en')} are read at once`,
    );
  }
  return items.map((item, index) => {
    if (!isObject(item)) throw new ImportError(`ninjs item ${index + 1} is not an object`);
    return ninjsItem(item, index);
  });
}

/** The newsItems of a NewsML-G2 document: a newsItem, or a newsMessage's itemSet. */
export function newsItemsOf(document: XmlNode): unknown[] {
  const single = child(document, 'newsItem');
  if (single !== undefined) return all(single);
  return all(child(child(child(document, 'newsMessage'), 'itemSet'), 'newsItem'));
}

function newsItem(item: unknown, index: number): SourceItem {
  const itemMeta = child(item, 'itemMeta');
  const contentMeta = child(item, 'contentMeta');
  const headlines = all(child(contentMeta, 'headline'));
  const main = headlines.find((h) => !/sub/i.test(attr(h, 'role') ?? '')) ?? headlines[0];
  const sub = child(contentMeta, 'subheadline') ?? headlines.find((h) => /sub/i.test(attr(h, 'role') ?? ''));
  const summary = all(child(contentMeta, 'description')).find((d) =>
    /summary|abstract/i.test(attr(d, 'role') ?? ''),
  );
  const contentSet = child(item, 'contentSet');
  const inlineXml = all(child(contentSet, 'inlineXML'))[0];
  const inlineData = all(child(contentSet, 'inlineData'))[0];
  const paragraphs =
    inlineXml !== undefined
      ? htmlToParagraphs(rawMarkup(textOf(inlineXml), 'xhtml'))
      : textParagraphs(textOf(inlineData));
  if (paragraphs.length === 0) {
    throw new ImportError(`newsItem ${index + 1} has no text (contentSet with inlineXML or inlineData)`);
  }
  const located = child(contentMeta, 'located');
  return withoutRepeatedStandfirst({
    id: attr(item, 'guid'),
    headline: oneLine(textOf(main)),
    standfirst: oneLine(textOf(sub ?? summary)),
    paragraphs,
    published:
      instantOf(textOf(child(itemMeta, 'firstCreated'))) ??
      instantOf(textOf(child(itemMeta, 'versionCreated'))) ??
      instantOf(textOf(child(contentMeta, 'contentCreated'))),
    place: oneLine(textOf(child(located, 'name'))) || null,
    byline: oneLine(textOf(child(contentMeta, 'by'))) || null,
  });
}

export function readNewsMl(document: XmlNode): SourceItem[] {
  const items = newsItemsOf(document);
  if (items.length === 0) throw new ImportError('the NewsML-G2 document has no newsItem');
  if (items.length > MAX_FEED_ITEMS) {
    throw new ImportError(
      `the NewsML-G2 document has ${items.length.toLocaleString('en')} newsItems; at most ${MAX_FEED_ITEMS.toLocaleString('en')} are read at once`,
    );
  }
  return items.map(newsItem);
}
