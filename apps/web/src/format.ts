// How the reader writes dates, vocabularies and search snippets. Pure: no DOM, no React.

const DAY = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "24 October 2024" from a Date ("2024-10-24") or a DateTime; the day as the record states it (UTC). */
export function formatDay(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : DAY.format(date);
}

export const statementKindLabel = {
  DIRECT: 'Direct quote',
  INDIRECT: 'Reported speech',
} as const satisfies Record<'DIRECT' | 'INDIRECT', string>;

export const actorKindLabel = {
  PERSON: 'Person',
  STATE: 'State',
  ORGANIZATION: 'Organization',
} as const satisfies Record<'PERSON' | 'STATE' | 'ORGANIZATION', string>;

export const treatyStatusLabel = {
  NEGOTIATING: 'Under negotiation',
  SIGNED: 'Signed',
  PENDING_RATIFICATION: 'Pending ratification',
  IN_FORCE: 'In force',
  TERMINATED: 'Terminated',
} as const satisfies Record<string, string>;

export const treatyActionLabel = {
  SIGNATURE: 'Signed',
  SUBMISSION_FOR_RATIFICATION: 'Submitted for ratification',
  RATIFICATION: 'Ratified',
  ACCESSION: 'Accession',
  EXCHANGE_OF_INSTRUMENTS: 'Instruments exchanged',
  ENTRY_INTO_FORCE: 'Entered into force',
  DENUNCIATION: 'Denounced',
  WITHDRAWAL: 'Withdrawal',
} as const satisfies Record<string, string>;

export const searchTypeLabel = {
  ARTICLE: 'Articles',
  STATEMENT: 'Statements',
  ACTOR: 'People & organizations',
  TREATY: 'Treaties',
} as const satisfies Record<'ARTICLE' | 'STATEMENT' | 'ACTOR' | 'TREATY', string>;

/** "Article 4", "Article XIX": how a provision is cited. */
export function provisionLabel(number: string): string {
  return `Article ${number}`;
}

/** A treaty's name for tight places: its short title when it has one. */
export function treatyName(treaty: { title: string; shortTitle?: string | null }): string {
  return treaty.shortTitle || treaty.title;
}

/** "1 statement", "3 statements". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? singular : plural}`;
}

export type SnippetPart = { text: string; match: boolean };

/**
 * A search snippet as the API sends it — HTML-escaped text with each match in <mark>…</mark> —
 * read into plain parts, so the page renders it as text and never as HTML.
 */
export function parseSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let match = false;
  for (const chunk of snippet.split(/(<mark>|<\/mark>)/)) {
    if (chunk === '<mark>') match = true;
    else if (chunk === '</mark>') match = false;
    else if (chunk !== '') parts.push({ text: unescapeHtml(chunk), match });
  }
  return parts;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}
