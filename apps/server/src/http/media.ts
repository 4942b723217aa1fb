// Media types of GraphQL over HTTP: what a POST body may be, and which JSON flavour to answer in.

export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
export const APPLICATION_JSON = 'application/json';

export type MediaType = { essence: string; parameters: Map<string, string> };

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses `type/subtype; name=value; …` (RFC 9110); null when it is not a media type. */
export function parseMediaType(header: string): MediaType | null {
  const [essence = '', ...rest] = splitOutsideQuotes(header, ';');
  const [type, subtype, extra] = essence.trim().toLowerCase().split('/');
  if (!type || !subtype || extra !== undefined || !TOKEN.test(type) || !TOKEN.test(subtype)) return null;
  const parameters = new Map<string, string>();
  for (const part of rest) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    if (equals < 0) return null;
    const name = part.slice(0, equals).trim().toLowerCase();
    let value = part.slice(equals + 1).trim();
    if (!TOKEN.test(name)) return null;
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    parameters.set(name, value);
  }
  return { essence: `${type}/${subtype}`, parameters };
}

export type BodyTypeProblem = { status: 415; message: string };

// Clients send one or two Content-Type headers, byte for byte the same on every request.
const checkedBodyTypes = new Map<string, BodyTypeProblem | null>();

/** A POST body must be JSON in UTF-8; anything else is refused before it is read. */
export function checkBodyType(contentType: string | undefined): BodyTypeProblem | null {
  if (contentType === undefined) return bodyTypeProblem(contentType);
  let problem = checkedBodyTypes.get(contentType);
  if (problem === undefined) {
    problem = bodyTypeProblem(contentType);
    if (checkedBodyTypes.size >= 64) checkedBodyTypes.clear();
    checkedBodyTypes.set(contentType, problem);
  }
  return problem;
}

function bodyTypeProblem(contentType: string | undefined): BodyTypeProblem | null {
  if (contentType === undefined || contentType.trim() === '')
    return { status: 415, message: 'A POST request needs `Content-Type: application/json`.' };
  const media = parseMediaType(contentType);
  if (!media || media.essence !== APPLICATION_JSON)
    return {
      status: 415,
      message: `Content-Type ${JSON.stringify(contentType.slice(0, 100))} is not supported; send \`application/json\` (UTF-8).`,
    };
  const charset = media.parameters.get('charset')?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    return {
      status: 415,
      message: `Charset ${JSON.stringify(charset.slice(0, 40))} is not supported; send the body in UTF-8 (\`charset=utf-8\` or none).`,
    };
  return null;
}

/**
 * The response type for an error we answer ourselves, as Apollo would choose it: the GraphQL
 * response type when the client prefers it, plain JSON otherwise (including `*\/*` and no Accept).
 */
export function responseType(accept: string | undefined): string {
  if (!accept) return APPLICATION_JSON;
  const ranges = splitOutsideQuotes(accept, ',').flatMap((range, index) => {
    const media = parseMediaType(range);
    if (!media) return [];
    const q = Number(media.parameters.get('q') ?? '1');
    return [{ essence: media.essence, q: Number.isFinite(q) ? q : 0, index }];
  });
  // The most specific range matching a type gives its quality (RFC 9110 §12.5.1).
  const match = (type: string) => {
    const specific = ranges.find((r) => r.essence === type);
    return (
      specific ?? ranges.find((r) => r.essence === 'application/*') ?? ranges.find((r) => r.essence === '*/*')
    );
  };
  const json = match(APPLICATION_JSON);
  const graphql = match(GRAPHQL_RESPONSE_JSON);
  if (!graphql || graphql.q <= 0) return APPLICATION_JSON;
  if (!json || json.q <= 0 || graphql.q > json.q) return GRAPHQL_RESPONSE_JSON;
  return graphql.q === json.q && graphql.index < json.index ? GRAPHQL_RESPONSE_JSON : APPLICATION_JSON;
}

export const EVENT_STREAM = 'text/event-stream';

/** The client asks for Server-Sent Events: its Accept names `text/event-stream` (with q above 0). */
export function acceptsEventStream(accept: string | undefined): boolean {
  if (accept === undefined || !/event-stream/i.test(accept)) return false;
  return splitOutsideQuotes(accept, ',').some((range) => {
    const media = parseMediaType(range);
    return media?.essence === EVENT_STREAM && Number(media.parameters.get('q') ?? '1') > 0;
  });
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '"') quoted = !quoted;
    if (char === '\\' && quoted && i + 1 < text.length) {
      current += char + text[i + 1];
      i += 1;
      continue;
    }
    if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}
