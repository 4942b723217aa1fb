// Bytes to text by the charset the source declares (the HTTP content type, the XML declaration or
// the HTML meta tag), checked against the bytes: a declaration the bytes contradict is an error,
// never mojibake stored as news.
import { ImportError } from '../errors.ts';
import { firstInvalidUtf8 } from '../story-text.ts';

/** The charset a document declares in its first bytes: `<?xml encoding=…?>` or `<meta charset=…>`. */
function declaredInDocument(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const xml = /^\s*<\?xml[^>]*\sencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  if (xml) return xml[1] as string;
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  return meta ? (meta[1] as string) : null;
}

export function charsetOf(contentType: string | null): string | null {
  const match = contentType ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType) : null;
  return match ? (match[1] as string) : null;
}

const isUtf8 = (label: string) => /^utf-?8$/i.test(label);

/** Decodes a source's bytes: the header's charset, else the document's own, else UTF-8. */
export function decodeSource(bytes: Uint8Array, contentType: string | null = null): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  const declared = charsetOf(contentType) ?? declaredInDocument(bytes);
  const from = charsetOf(contentType) ? 'the content type' : 'the document';
  if (declared && !isUtf8(declared)) {
    let decoder: InstanceType<typeof TextDecoder>;
    try {
      decoder = new TextDecoder(declared, { fatal: true });
    } catch {
      throw new ImportError(
        `${from} declares the charset ${JSON.stringify(declared)}, which is not one known; use UTF-8`,
      );
    }
    // A single-byte charset decodes any bytes; UTF-8 multi-byte sequences in them mean the declaration is wrong.
    if (
      decoder.encoding !== 'utf-16le' &&
      decoder.encoding !== 'utf-16be' &&
      bytes.some((b) => b >= 0x80) &&
      firstInvalidUtf8(bytes) < 0
    ) {
      throw new ImportError(
        `${from} declares the charset ${declared}, but the bytes are UTF-8; declare UTF-8`,
      );
    }
    try {
      return decoder.decode(bytes);
    } catch {
      throw new ImportError(`the bytes are not valid ${declared}, which ${from} declares`);
    }
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const byte = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new ImportError(
      `${declared ? `${from} declares UTF-8` : 'no charset is declared, so UTF-8 is read'}, but byte 0x${byte} at offset ${bad} is not UTF-8; declare the charset the text is in (e.g. ISO-8859-1)`,
    );
  }
  return new TextDecoder('utf-8').decode(bytes);
}
