// XML, read safely: fast-xml-parser, which fetches nothing. Documents that declare entities are
// refused outright (no feed needs them; they are how XXE and "billion laughs" attacks arrive), and
// expansion of the standard ones is capped all the same.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ImportError } from '../errors.ts';

/** Elements whose markup is kept as text: Atom `content`, NewsML-G2 `inlineXML` (XHTML inside). */
const RAW_ELEMENTS = ['*.content', '*.inlineXML'];

export type XmlNode = Record<string, unknown>;

export function parseXml(text: string): XmlNode {
  const declaration = /<!ENTITY\b/i.exec(text);
  if (declaration) {
    throw new ImportError(
      'the XML declares entities (<!ENTITY …>); entity declarations are never expanded or fetched, so the document is refused',
      text.slice(0, declaration.index).split('\n').length,
    );
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new ImportError(`the XML is malformed: ${valid.err.msg} (column ${valid.err.col})`, valid.err.line);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    htmlEntities: true,
    processEntities: { enabled: true, maxTotalExpansions: 100_000, maxExpandedLength: 10_000_000 },
    stopNodes: RAW_ELEMENTS,
    trimValues: true,
  });
  try {
    return parser.parse(text) as XmlNode;
  } catch (error) {
    throw new ImportError(
      `the XML could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** A node as a list: the parser gives one child as an object and several as an array. */
export function all(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The text of an element (`"x"` or `{ "#text": "x", "@attr": … }`), or ''. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && '#text' in value) return textOf((value as XmlNode)['#text']);
  return '';
}

export const attr = (value: unknown, name: string): string | null => {
  if (!value || typeof value !== 'object') return null;
  const found = (value as XmlNode)[`@${name}`];
  return typeof found === 'string' ? found : null;
};

/** The child `name` of a node, whatever namespace prefix the document gave it. */
export function child(node: unknown, name: string): unknown {
  if (!node || typeof node !== 'object') return undefined;
  const record = node as XmlNode;
  if (name in record) return record[name];
  for (const key of Object.keys(record)) if (key.endsWith(`:${name}`)) return record[key];
  return undefined;
}

/**
 * The markup inside a raw element, as HTML: CDATA sections unwrapped, and escaped markup
 * (`&lt;p&gt;`, Atom's type="html") unescaped; XHTML (type="xhtml", NewsML-G2) is markup already.
 */
export function rawMarkup(raw: string, type: string | null): string {
  const cdata = [...raw.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)].map((m) => m[1]).join('');
  if (cdata) return cdata;
  // XHTML read as HTML: `<title/>` must not swallow the rest as a title.
  if (type === 'xhtml' || /<[a-z]/i.test(raw)) return raw.replace(/<([\w:-]+)([^<>]*?)\/>/g, '<$1$2></$1>');
  // Escaped markup (or plain text): unescape the XML entities once.
  return raw
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => codePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => codePoint(Number.parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}

const codePoint = (n: number) => (n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '\ufffd');
