// Treaties a story names and the articles it cites. A treaty is recognised by its title (usually quoted:
// “Protocol on Rail Transit”), by a known short name ("UN Charter"), or by a description that names its
// parties ("the strategic partnership treaty between Russia and North Korea"); the last gets a formal
// title built from its subject and the parties' formal names. Article references attach to the treaty
// they name ("of the accord") or, when bare, to the treaty in focus.
import { inQuote, position, type StoryContext } from './context.ts';
import { KNOWN_INSTRUMENTS } from './gazetteer.ts';
import { TREATY_HEADS } from './lexicon.ts';
import { findWholeWord, isCapitalized, titleCase, tokenize } from './text.ts';
import type { Span } from './types.ts';

export type TreatyRecord = {
  title: string;
  multilateral: boolean;
  mentions: Span[];
  /** Spans of printed titles; actor detection skips them ("United Nations" in the Charter's title). */
  titleSpans: Span[];
  parties: string[];
  /** Surface forms of the parties for a described treaty ("Russia", "North Korea"). */
  partyNames: string[];
  /** Subject words of a described treaty ("comprehensive strategic partnership"). */
  topic: string | null;
  /** Lower-case head noun ("treaty", "accord", "charter"). */
  head: string;
  provisions: ProvisionRef[];
};

export type ProvisionRef = { number: string; span: Span };

const MINOR_WORDS = new Set([
  'of',
  'the',
  'on',
  'in',
  'for',
  'and',
  'between',
  'to',
  'a',
  'an',
  'at',
  'by',
  'with',
]);

// Words that describe a treaty without saying what it is about.
const GENERIC_MODIFIERS = new Set([
  'new',
  'bilateral',
  'draft',
  'revised',
  'historic',
  'landmark',
  'proposed',
  'old',
  'current',
  'existing',
  'original',
  'first',
  'final',
  'wider',
  'broader',
  'separate',
  'so-called',
  'controversial',
  'aforementioned',
]);

const DESCRIBED_TREATY =
  /\b(?:[Tt]he|[Aa]n?)\s+((?:[a-z][a-z-]*\s+){0,5}?)(treaty|agreement|accord|pact|convention|protocol)\s+(?:on\s+((?:[a-z][a-z-]*\s+){0,5}?[a-z][a-z-]*)\s+)?(between|with)\s+(?:the\s+)?(\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,4})(?:\s+and\s+(?:the\s+)?(\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,4}))?/gu;

function headOf(title: string): string {
  const head = tokenize(title).find((token) => TREATY_HEADS.has(token.text));
  return (head?.text ?? 'treaty').toLowerCase().replace(/s$/, '');
}

/** A title: Title Case words with minor words between, one of them a treaty head ("Sallon Accord on …"). */
export function looksLikeTreatyTitle(text: string): boolean {
  const words = text.trim().split(/\s+/);
  if (words.length < 2 || words.length > 25) return false;
  if (!words.some((word) => TREATY_HEADS.has(word.replace(/[,.;:]$/, '')))) return false;
  if (!isCapitalized(words[0] ?? '') || /^Articles?$/.test(words[0] ?? '')) return false;
  return words.every((word) => MINOR_WORDS.has(word) || isCapitalized(word) || /^\d/.test(word));
}

function span(context: StoryContext, paragraph: number, start: number, end: number): Span {
  return { paragraph, start, end, text: (context.paragraphs[paragraph] ?? '').slice(start, end) };
}

/** "Sallon Accord" and "Sallon Accord on Energy Transit" name one treaty. */
function isWordPrefix(short: string, long: string): boolean {
  return long === short || long.startsWith(`${short} `);
}

function addRecord(records: TreatyRecord[], title: string, multilateral: boolean): TreatyRecord {
  const existing = records.find(
    (record) => !record.topic && (isWordPrefix(title, record.title) || isWordPrefix(record.title, title)),
  );
  if (existing) {
    if (title.length > existing.title.length) existing.title = title;
    return existing;
  }
  const record: TreatyRecord = {
    title,
    multilateral,
    mentions: [],
    titleSpans: [],
    parties: [],
    partyNames: [],
    topic: null,
    head: headOf(title),
    provisions: [],
  };
  records.push(record);
  return record;
}

function addMention(record: TreatyRecord, mention: Span, isTitle: boolean): void {
  const overlaps = (s: Span) =>
    s.paragraph === mention.paragraph && s.start < mention.end && mention.start < s.end;
  if (record.mentions.some(overlaps)) return;
  record.mentions.push(mention);
  if (isTitle) record.titleSpans.push(mention);
}

/** Quoted titles: “Agreement on Fisheries in the Gulf of Tarn”. */
function findQuotedTitles(context: StoryContext, records: TreatyRecord[]): void {
  context.quotes.forEach((quotes, paragraph) => {
    for (const quote of quotes) {
      const text = context.paragraphs[paragraph] ?? '';
      const content = text.slice(quote.contentStart, quote.contentEnd).replace(/[,.;:]+$/, '');
      if (!looksLikeTreatyTitle(content)) continue;
      const known = KNOWN_INSTRUMENTS.find((entry) => entry.forms.includes(content));
      const record = addRecord(records, known?.title ?? content, known?.multilateral ?? false);
      addMention(
        record,
        span(context, paragraph, quote.contentStart, quote.contentStart + content.length),
        true,
      );
    }
  });
}

/** Known instruments by any of their names ("UN Charter", "Charter of the United Nations"). */
function findKnownInstruments(context: StoryContext, records: TreatyRecord[]): void {
  for (const entry of KNOWN_INSTRUMENTS) {
    const forms = [...entry.forms].sort((a, b) => b.length - a.length);
    context.paragraphs.forEach((text, paragraph) => {
      for (const form of forms) {
        for (const start of findWholeWord(text, form, context.bodyStarts[paragraph] ?? 0)) {
          const record = addRecord(records, entry.title, entry.multilateral);
          addMention(record, span(context, paragraph, start, start + form.length), true);
        }
      }
    });
  }
}

/**
 * Unquoted Title Case names: starting with a treaty head ("the Treaty of Friendship and Cooperation") or
 * ending with one ("the Tarn Fisheries Pact"), but not an organisation named after a treaty ("North
 * Atlantic Treaty Organization").
 */
function findUnquotedTitles(context: StoryContext, records: TreatyRecord[]): void {
  const heads = [...TREATY_HEADS].join('|');
  const word = `\\p{Lu}[\\p{L}'’-]*`;
  const headFirst = `\\b(?:${heads})\\s+(?:of|on|for|between)\\s+(?:the\\s+)?${word}(?:\\s+(?:(?:of|on|the|and|in|for|between)\\s+)*${word})*`;
  const headLast = `\\b(?:${word}\\s+){1,5}(?:${heads})\\b(?:\\s+(?:of|on|for)\\s+(?:the\\s+)?${word}(?:\\s+(?:(?:of|on|the|and|in|for)\\s+)*${word})*)?`;
  const pattern = new RegExp(`${headFirst}|${headLast}`, 'gu');
  context.paragraphs.forEach((text, paragraph) => {
    for (const found of text.matchAll(pattern)) {
      const lead = /^(?:(?:The|A|An|In|Under|Of|On|By|With|And|But)\s+)+/.exec(found[0])?.[0].length ?? 0;
      const title = found[0].slice(lead);
      const start = (found.index ?? 0) + lead;
      const end = start + title.length;
      if (start < (context.bodyStarts[paragraph] ?? 0) || !looksLikeTreatyTitle(title)) continue;
      if (/^\s+(?:Organi[sz]ation|Council|Secretariat|Assembly)\b/.test(text.slice(end))) continue;
      const seen = records.some((record) =>
        record.mentions.some((m) => m.paragraph === paragraph && m.start < end && start < m.end),
      );
      if (seen || inQuote(context, paragraph, start)) continue;
      const entry = KNOWN_INSTRUMENTS.find((instrument) => instrument.forms.includes(title));
      const record = addRecord(records, entry?.title ?? title, entry?.multilateral ?? false);
      addMention(record, span(context, paragraph, start, end), true);
    }
  });
}

function topicOf(modifiers: string, onPhrase: string | undefined): string | null {
  const words = (onPhrase ?? modifiers)
    .trim()
    .split(/\s+/)
    .filter((word) => word && !GENERIC_MODIFIERS.has(word) && !/^\d/.test(word));
  return words.length > 0 ? words.join(' ') : null;
}

/** "the comprehensive strategic partnership treaty between Russia and North Korea" and later references. */
function findDescribedTreaties(context: StoryContext, records: TreatyRecord[]): void {
  context.paragraphs.forEach((text, paragraph) => {
    for (const match of text.matchAll(DESCRIBED_TREATY)) {
      const start = (match.index ?? 0) + match[0].search(/\s/) + 1;
      const topic = topicOf(match[1] ?? '', match[3]);
      if (!topic) continue;
      const head = match[2] ?? 'treaty';
      const existing = records.find((record) => record.topic === topic && record.head === head);
      const second = match[6];
      if (!existing && (match[4] !== 'between' || !second)) continue;
      const record = existing ?? addRecord(records, `${titleCase(head)} on ${titleCase(topic)}`, false);
      if (!existing) {
        record.topic = topic;
        record.partyNames = [match[5] ?? '', second ?? ''];
      }
      const end = start + match[0].length - (match[0].search(/\s/) + 1);
      const partyClause = match[0].search(/\s(?:between|with)\s/);
      addMention(
        record,
        span(context, paragraph, start, partyClause > 0 ? (match.index ?? 0) + partyClause : end),
        false,
      );
    }
  });
}

/** All treaties the story names, with their mentions, in order of first mention. */
export function findTreaties(context: StoryContext): TreatyRecord[] {
  const records: TreatyRecord[] = [];
  findQuotedTitles(context, records);
  findKnownInstruments(context, records);
  findUnquotedTitles(context, records);
  findDescribedTreaties(context, records);
  for (const record of records)
    record.mentions.sort((a, b) => position(a.paragraph, a.start) - position(b.paragraph, b.start));
  return records.sort((a, b) => firstPosition(a) - firstPosition(b));
}

function firstPosition(record: TreatyRecord): number {
  const first = record.mentions[0];
  return first ? position(first.paragraph, first.start) : Number.MAX_SAFE_INTEGER;
}

// "Article 4", "Article 12, paragraph 2", "Article 7(3)", "Articles 3 and 5", "Article XIX".
const ARTICLE_REFERENCE =
  /\bArticles?\s+((?:\d+[a-z]?|[IVXLCDM]+)\b(?:\s*\(\d+\))?(?:\s*(?:,|and|&)\s*(?:\d+[a-z]?|[IVXLCDM]+)\b(?:\s*\(\d+\))?)*)(?:,?\s+(?:paragraph|para\.?|subparagraph|clause|section|point)\s+\d+)?/gu;
const REFERENCE_AFTER =
  /^\s+(?:of|in|under)\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}?(draft|document|text|treaty|agreement|accord|protocol|pact|convention|charter|memorandum|covenant|statute|deal|Charter)\b/u;

export type TreatyActors = {
  /** The state a printed name refers to ("North Korea", "Kelmar", "Ostravan"). */
  stateNamed(name: string): { name: string; formalName: string } | null;
  /** States named in a range of a paragraph, in order (names, aliases, demonyms, possessives). */
  statesIn(paragraph: number, start: number, end: number): string[];
};

function articleNumbers(list: string): string[] {
  return list
    .split(/\s*(?:,|and|&)\s*/)
    .map((item) => item.replace(/\s*\(\d+\)$/, '').trim())
    .filter(Boolean);
}

/** The treaty a reference points to: the latest one mentioned with a matching head, else the latest one. */
function treatyInFocus(
  records: readonly TreatyRecord[],
  at: number,
  head: string | null,
): TreatyRecord | null {
  let best: { record: TreatyRecord; pos: number } | null = null;
  let bestHead: { record: TreatyRecord; pos: number } | null = null;
  for (const record of records) {
    const seen = [
      ...record.mentions.map((m) => position(m.paragraph, m.start)),
      ...record.provisions.map((p) => position(p.span.paragraph, p.span.start)),
    ].filter((pos) => pos < at);
    const last = Math.max(...seen);
    if (!Number.isFinite(last)) continue;
    if (!best || last > best.pos) best = { record, pos: last };
    if (head && record.head === head && (!bestHead || last > bestHead.pos)) bestHead = { record, pos: last };
  }
  if (bestHead) return bestHead.record;
  // "the document", "the draft", "the text" point at the treaty under discussion, not at a charter cited in passing.
  return best?.record ?? (records.length === 1 ? (records[0] ?? null) : null);
}

function attachProvisions(context: StoryContext, records: readonly TreatyRecord[]): void {
  context.paragraphs.forEach((text, paragraph) => {
    for (const match of text.matchAll(ARTICLE_REFERENCE)) {
      const start = match.index ?? 0;
      if (start < (context.bodyStarts[paragraph] ?? 0)) continue;
      const end = start + match[0].length;
      const at = position(paragraph, start);
      const named = records.find((record) =>
        record.mentions.some(
          (m) =>
            m.paragraph === paragraph &&
            m.start > end &&
            /^\s+(?:of|in|under)\s+(?:the\s+)?$/.test(text.slice(end, m.start)),
        ),
      );
      const reference = REFERENCE_AFTER.exec(text.slice(end));
      const head = reference?.[1]?.toLowerCase() ?? null;
      const treaty =
        named ??
        treatyInFocus(
          records,
          at,
          head && !['draft', 'document', 'text', 'deal'].includes(head) ? head : null,
        );
      if (!treaty) continue;
      for (const number of articleNumbers(match[1] ?? '')) {
        treaty.provisions.push({ number, span: span(context, paragraph, start, end) });
      }
    }
  });
}

/** Parties: named in a described treaty, none for multilateral ones, else the states around the first mention. */
function partiesOf(context: StoryContext, record: TreatyRecord, actors: TreatyActors): string[] {
  if (record.multilateral) return [];
  if (record.partyNames.length > 0) {
    return record.partyNames.map((name) => actors.stateNamed(name)?.name ?? name).filter(Boolean);
  }
  const first = record.mentions[0];
  if (!first) return [];
  const sentence = (context.sentences[first.paragraph] ?? []).find(
    (s) => first.start >= s.start && first.start < s.end,
  );
  const inSentence = sentence ? actors.statesIn(first.paragraph, sentence.start, sentence.end) : [];
  if (inSentence.length >= 2) return inSentence;
  const inParagraph = actors.statesIn(first.paragraph, 0, (context.paragraphs[first.paragraph] ?? '').length);
  if (inParagraph.length >= 2) return inParagraph;
  // A bilateral story names its two states somewhere; take them when the treaty's own paragraph does not.
  const inStory = context.paragraphs.flatMap((text, p) => actors.statesIn(p, 0, text.length));
  const distinct = [...new Set(inStory)];
  return distinct.length === 2 ? distinct : inParagraph.length > 0 ? inParagraph : inSentence;
}

/** Gives described treaties their formal title, and every treaty its parties and provisions. */
export function completeTreaties(context: StoryContext, records: TreatyRecord[], actors: TreatyActors): void {
  for (const record of records) {
    record.parties = partiesOf(context, record, actors);
    if (record.topic && record.partyNames.length === 2) {
      const formal = record.partyNames.map((name) => actors.stateNamed(name)?.formalName ?? name);
      record.title = `${titleCase(record.head)} on ${titleCase(record.topic)} between the ${formal[0]} and the ${formal[1]}`;
    }
  }
  attachProvisions(context, records);
}

export function provisionNumbers(record: TreatyRecord): string[] {
  const numbers: string[] = [];
  const ordered = [...record.provisions].sort(
    (a, b) => position(a.span.paragraph, a.span.start) - position(b.span.paragraph, b.span.start),
  );
  for (const { number } of ordered) if (!numbers.includes(number)) numbers.push(number);
  return numbers;
}
