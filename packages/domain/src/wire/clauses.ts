// The grammar of reported speech, kept shallow on purpose: where the speaker phrase before a reporting
// verb starts, where the reported clause after it starts ("said on Thursday that …", "told reporters
// that …", "said the talks …") and ends (the sentence end, or ", adding that …", ", a remark that …").

import {
  AUXILIARIES,
  IRREGULAR_PAST,
  PRE_VERB_WORDS,
  REMARK_NOUNS,
  REPORTING_PARTICIPLES,
  REPORTING_VERBS,
  TIME_WORDS,
} from './lexicon.ts';
import { isRoleWord } from './persons.ts';
import { isInsideQuote, type Quote } from './quotes.ts';
import { isCapitalized, type Token, tokenize } from './text.ts';

const DETERMINERS = new Set([
  'the',
  'a',
  'an',
  'this',
  'that',
  'its',
  'his',
  'her',
  'their',
  'our',
  'my',
  'your',
  'these',
  'those',
]);
const PREPOSITIONS = new Set([
  'in',
  'on',
  'at',
  'after',
  'before',
  'during',
  'from',
  'to',
  'with',
  'via',
  'through',
  'over',
  'by',
  'while',
  'when',
  'as',
  'outside',
  'inside',
  'ahead',
  'following',
  'late',
  'early',
]);
const PRONOUN_SUBJECTS = new Set([
  'he',
  'she',
  'it',
  'they',
  'we',
  'i',
  'you',
  'who',
  'which',
  'that',
  'this',
]);
/** Verbs whose object comes before the clause: "told reporters that …". */
export const OBJECT_VERBS = new Set([
  'told',
  'tell',
  'tells',
  'warned',
  'warns',
  'assured',
  'reminded',
  'informed',
  'asked',
  'asks',
  'urged',
]);

/** A rough test for a finite verb at token i: "had", "ignored", "sent", "Ostrava owes". */
function isVerbAt(tokens: readonly Token[], i: number): boolean {
  const token = tokens[i] as Token;
  const word = token.text.toLowerCase();
  const previous = tokens[i - 1]?.text ?? '';
  if (AUXILIARIES.has(word)) return true;
  if (i === 0) return false;
  if (DETERMINERS.has(previous.toLowerCase())) return false;
  if (IRREGULAR_PAST.has(word) || REPORTING_VERBS.has(word)) return true;
  if (/^\p{Ll}{3,}ed$/u.test(token.text)) return true;
  // "Ostrava owes", "it says" — but not "the Tarn islands", "at Meridian ports".
  const beforePrevious = tokens[i - 2]?.text.toLowerCase() ?? '';
  const namedSubject =
    isCapitalized(previous) && !DETERMINERS.has(beforePrevious) && !PREPOSITIONS.has(beforePrevious);
  const subject = namedSubject || PRONOUN_SUBJECTS.has(previous.toLowerCase());
  return subject && /^\p{Ll}{2,}s$/u.test(token.text) && !/ss$/.test(token.text);
}

/** Enough to tell "the talks had failed" from "a week of drills". */
export function looksLikeClause(tokens: readonly Token[]): boolean {
  return tokens.some((_, i) => isVerbAt(tokens, i));
}

/** The subject of a sentence: what comes before its first verb ("The Republic of Tarvonia on Wednesday"). */
export function subjectBefore(
  text: string,
  quotes: readonly Quote[],
  from: number,
  to: number,
): SpeakerGroup | null {
  const tokens = tokenize(text, from, to);
  const verb = tokens.findIndex((t, i) => !isInsideQuote(quotes, t.start) && isVerbAt(tokens, i));
  const verbToken = tokens[verb];
  if (!verbToken) return null;
  return speakerGroupBefore(text, quotes, from, verbToken.start);
}

function commasOutsideQuotes(text: string, quotes: readonly Quote[], from: number, to: number): number[] {
  const commas: number[] = [];
  for (let i = from; i < to; i++) {
    if (text[i] !== ',' || isInsideQuote(quotes, i)) continue;
    if (/\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '')) continue; // "3,000"
    commas.push(i);
  }
  return commas;
}

/** Strips trailing adverbs and auxiliaries ("also", "has") from the end of a speaker phrase. */
function trimPreVerb(text: string, from: number, to: number): number {
  let end = to;
  for (;;) {
    const tokens = tokenize(text, from, end);
    const last = tokens[tokens.length - 1];
    if (!last || !PRE_VERB_WORDS.has(last.text.toLowerCase()) || !/^\s*$/.test(text.slice(last.end, end)))
      break;
    end = last.start;
  }
  while (end > from && /\s/.test(text[end - 1] ?? '')) end--;
  return end;
}

const PARENTHETICAL =
  /^(?:who|which|whose|whom|where|when|seen|known|described|quoted|based|citing|according|however|meanwhile|though|too|also|nevertheless|instead|in turn|for (?:his|her|its|their) part|in (?:a|an|its|his|her|their) (?:statement|interview|speech|letter|post|ruling|report))\b|^\p{Ll}+ing\b/u;

function isAppositiveRole(text: string, start: number, end: number): boolean {
  const tokens = tokenize(text, start, end);
  const slice = text.slice(start, end);
  if (tokens.length === 0 || tokens.length > 10 || /["“”]/.test(slice)) return false;
  return tokens.some((t) => isRoleWord(t.text)) && !looksLikeClause(tokens);
}

function isNameLike(text: string, start: number, end: number): boolean {
  const tokens = tokenize(text, start, end);
  return tokens.length > 0 && tokens.length <= 4 && tokens.every((t) => isCapitalized(t.text));
}

/** A part that can be the subject an appositive describes ("Analysts at the Institute"), not "Asked about it". */
function isNounPhrase(text: string, part: { start: number; end: number }): boolean {
  // "…, while Li Hua, an official with the center, said": the conjunction joins, the name is the phrase.
  const all = tokenize(text, part.start, part.end);
  const tokens = /^(?:while|whereas|but|and)$/i.test(all[0]?.text ?? '') ? all.slice(1) : all;
  const first = tokens[0]?.text ?? '';
  if (tokens.length === 0 || PREPOSITIONS.has(first.toLowerCase()) || /^\p{L}+(?:ed|ing|ly)$/u.test(first))
    return false;
  return !looksLikeClause(tokens);
}

export type SpeakerGroup = { start: number; end: number; commaBefore: number | null };

/**
 * The speaker phrase that ends right before a reporting verb. Commas split the text into parts; the
 * phrase is the last part, skipping parentheticals (", who has shuttled …,", ", a research centre …,")
 * and taking in appositive roles (", the Principality of Lisenne's chief mediator, Ambassador …").
 */
export function speakerGroupBefore(
  text: string,
  quotes: readonly Quote[],
  from: number,
  to: number,
): SpeakerGroup | null {
  const end = trimPreVerb(text, from, to);
  if (end <= from) return null;
  const commas = commasOutsideQuotes(text, quotes, from, end);
  const parts = [from, ...commas.map((c) => c + 1)].map((start, i) => ({ start, end: commas[i] ?? end }));
  let i = parts.length - 1;
  const blank = (k: number) => text.slice(parts[k]?.start ?? 0, parts[k]?.end ?? 0).trim() === '';
  while (i > 0 && blank(i)) i--;
  while (i > 0) {
    const part = text.slice(parts[i]?.start ?? 0, parts[i]?.end ?? 0).trim();
    const appositive =
      /^(?:a|an)\s/i.test(part) &&
      !blank(i - 1) &&
      isNounPhrase(text, parts[i - 1] as { start: number; end: number });
    // "Jonas Beck, on Thursday denied", "Ishida, 64, said": a time adjunct or an age is not the speaker.
    const timeOnly = LEADING_ADJUNCT_ALONE.test(part) || /^\d{1,3}$/.test(part);
    if (!PARENTHETICAL.test(part) && !appositive && !timeOnly) break;
    i--;
    while (i > 0 && blank(i)) i--;
  }
  const head = parts[i];
  if (!head) return null;
  let start = head.start;
  // "Telnord, the largest telecom operator in …, said": the name the description follows speaks.
  const described = /^\s*the\s/i.test(text.slice(head.start, head.end)) && i > 0;
  const named = parts[i - 1];
  if (described && named && isNameLike(text, named.start, named.end) && isNounPhrase(text, named)) {
    start = named.start;
    i--;
  }
  const headIsRole = isAppositiveRole(text, head.start, head.end);
  while (i > 0) {
    const left = parts[i - 1] as { start: number; end: number };
    // "…, while Paul Girard, chief economist at …, said": the conjunction is not part of the name.
    const conjunction = /^\s*(?:while|whereas|but|and)\s+/i.exec(text.slice(left.start, left.end));
    const nameStart = left.start + (conjunction?.[0].length ?? 0);
    const fits =
      isAppositiveRole(text, left.start, left.end) || (headIsRole && isNameLike(text, nameStart, left.end));
    if (!fits) break;
    start = left.start;
    i--;
  }
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  let groupEnd = head.end;
  while (groupEnd > start && /\s/.test(text[groupEnd - 1] ?? '')) groupEnd--;
  return { start, end: groupEnd, commaBefore: i > 0 ? (commas[i - 1] ?? null) : null };
}

const TIME_BEFORE_AFTER =
  /^\s+(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|just|only|\d+)\s+(?:(?:full|more)\s+)?(?:minutes?|hours?|days?|weeks?|months?|years?)\s+(?:after|before)\b/;

// Words after a comma that open another speaker's clause: "…, while X insisted", "…, after unions warned".
const CONTRASTIVE = new Set(['while', 'whereas', 'but', 'and', 'after', 'before', 'when', 'as', 'since']);

const NAME = /^\s*\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){1,3}\s*$/u;

// What another party did rather than said: "…, and the society urged the governments to …".
const ACT_VERBS = new Set([
  'urged',
  'appealed',
  'demanded',
  'welcomed',
  'condemned',
  'criticised',
  'criticized',
  'rejected',
  'dismissed',
]);

/**
 * A reporting verb within the next few words, outside quotes: "while X insisted", also after a name in
 * apposition ("while his counterpart, Yoon Mi-rae, said").
 */
function startsReportingClause(text: string, quotes: readonly Quote[], from: number, to: number): boolean {
  const tokens = tokenize(text, from, Math.min(to, from + 160)).slice(1, 14);
  return tokens.some((t) => {
    if (!(REPORTING_VERBS.has(t.text) || ACT_VERBS.has(t.text)) || isInsideQuote(quotes, t.start))
      return false;
    const between = text.slice(from, t.start).slice(1);
    if (!/,/.test(between)) return true;
    // "while his counterpart, Yoon Mi-rae, said", "while Paul Girard, chief economist at …, said".
    const parts = /^\s*\p{Ll}+\s+([^,]{1,60}),\s*([^,]{1,80}),\s*(?:\p{Ll}+\s+)?$/u.exec(between);
    return parts !== null && [parts[1], parts[2]].some((part) => NAME.test(part ?? ''));
  });
}

/** Where a reported clause ends: before ", adding that", ", a remark that", ", according to", ";" or the sentence end. */
export function clauseEnd(text: string, quotes: readonly Quote[], from: number, sentenceEnd: number): number {
  for (let i = from; i < sentenceEnd; i++) {
    const ch = text[i];
    if (ch === ' ' && !isInsideQuote(quotes, i)) {
      // "… since 2019 and warned that …": a second reporting verb starts a second statement.
      const coordinated = /^ (?:and|but) (?:also |later |then )?(\p{Ll}+)\b/u.exec(text.slice(i, i + 40));
      if (coordinated && REPORTING_VERBS.has(coordinated[1] ?? '')) return i;
      // "… but declined to give a date": the speaker's refusal is not part of what was said.
      if (coordinated && /^(?:declined|refused)$/.test(coordinated[1] ?? '')) return i;
      // "… and gave no further details": nothing more was said.
      if (coordinated && coordinated[1] === 'gave' && /^ and gave no\b/.test(text.slice(i, i + 20))) return i;
    }
    if ((ch !== ',' && ch !== ';') || isInsideQuote(quotes, i)) continue;
    if (ch === ';') return i;
    const rest = text.slice(i + 1, i + 60);
    const next = /^\s+(\p{L}+)(?:\s+(\p{L}+))?/u.exec(rest);
    const first = next?.[1]?.toLowerCase() ?? '';
    const second = next?.[2]?.toLowerCase() ?? '';
    if (REPORTING_PARTICIPLES.has(first)) return i;
    if ((first === 'a' || first === 'an') && REMARK_NOUNS.has(second)) return i;
    if (first === 'according' && second === 'to') return i;
    // "…, a day after Orna lodged a protest", "…, two days after": narration of when, not what was said.
    if (TIME_BEFORE_AFTER.test(rest)) return i;
    // "…, but his faction voted in favour": narration about the speaker, not what was said.
    if (first === 'but' && /^(?:his|her|its|their)$/.test(second)) return i;
    // "…, while Ostrava's minister insisted …": another speaker's statement starts here.
    if (CONTRASTIVE.has(first) && startsReportingClause(text, quotes, i + 1, sentenceEnd)) return i;
  }
  return sentenceEnd;
}

/** Trims a statement span: spaces, a leading "that", a final full stop or comma outside the quote marks. */
export function trimStatement(
  text: string,
  quotes: readonly Quote[],
  from: number,
  to: number,
): [number, number] {
  let start = from;
  let end = to;
  for (;;) {
    while (start < end && /\s/.test(text[start] ?? '')) start++;
    while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
    const leadingThat = /^that\s+/i.exec(text.slice(start, end));
    if (leadingThat) {
      start += leadingThat[0].length;
      continue;
    }
    const last = text[end - 1] ?? '';
    if (/[.,;:]/.test(last) && !isInsideQuote(quotes, end - 1)) {
      end--;
      continue;
    }
    return [start, end];
  }
}

// Time and manner adjuncts between a verb and its clause: "said on Thursday the …", "said last week …".
const LEADING_ADJUNCT =
  /^(?:(?:in|on|through|via)\s+(?:a|an|its|his|her|their)\s+(?:[\p{Ll}-]+\s+){0,2}?(?:statement|interview|post|letter|speech|filing|message|briefing|video|website|note|communiqué|release)\b,?|(?:also|again|then|later|earlier|yesterday|today|publicly|privately|separately|repeatedly|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b|(?:on|last|this|next|late|early|earlier)\s+(?:\p{Lu}\p{L}+day|week|month|year|night|morning|evening|\p{Lu}\p{L}+\s+\d{1,2}(?:st|nd|rd|th)?)\b)\s*/u;
const LEADING_OBJECT =
  /^(?:him|her|them|us|me|reporters|journalists|lawmakers|parliament|delegates|legislators|deputies|senators|\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2}|(?:the|a|an)\s+(?!(?:in|at|on|of|for|after|before)\b)[\p{L}-]+(?:\s+(?!(?:in|at|on|of|for|after|before|the|a|an)\b)[\p{L}-]+){0,2})\b\s*/u;

const LEADING_ADJUNCT_ALONE = new RegExp(`${LEADING_ADJUNCT.source}$`, 'u');

export function skipAdjuncts(text: string, from: number, cue: string): number {
  let pos = from;
  const skipSpace = () => {
    while (/\s/.test(text[pos] ?? '')) pos++;
  };
  skipSpace();
  for (let guard = 0; guard < 4; guard++) {
    const adjunct = LEADING_ADJUNCT.exec(text.slice(pos, pos + 80));
    if (!adjunct) break;
    pos += adjunct[0].length;
  }
  if (OBJECT_VERBS.has(cue)) {
    const object = LEADING_OBJECT.exec(text.slice(pos, pos + 80));
    if (object) pos += object[0].length;
    for (let guard = 0; guard < 4; guard++) {
      const adjunct = LEADING_ADJUNCT.exec(text.slice(pos, pos + 80));
      if (!adjunct) break;
      pos += adjunct[0].length;
    }
  }
  skipSpace();
  return pos;
}

/** "said in a statement that …", "told reporters that …": the clause after "that", if the words before it are adjuncts. */
export function thatClauseStart(
  text: string,
  quotes: readonly Quote[],
  from: number,
  sentenceEnd: number,
  cue: string,
): number | null {
  const tokens = tokenize(text, from, sentenceEnd).slice(0, 12);
  const that = tokens.findIndex((t) => t.text.toLowerCase() === 'that' && !isInsideQuote(quotes, t.start));
  if (that < 0) return null;
  const thatToken = tokens[that] as Token;
  if (/["“”]/.test(text.slice(from, thatToken.start))) return null;
  const before = tokens.slice(0, that);
  if (before.length > 10) return null;
  const first = before[0]?.text.toLowerCase();
  // "in a statement released on Tuesday that …": past participles are fine inside a leading phrase
  // (but ", citing … that" is a participle clause, not an adjunct).
  const phrase = first !== undefined && PREPOSITIONS.has(first);
  const verbal = before.some((t, i) => {
    const word = t.text.toLowerCase();
    if (AUXILIARIES.has(word) || REPORTING_VERBS.has(word)) return true;
    // ", citing … that" opens a participle clause; "a briefing … that" is only a noun in -ing.
    const afterComma = i === 0 || /,\s*$/.test(text.slice(before[i - 1]?.end ?? from, t.start));
    if (afterComma && /^\p{Ll}+ing$/u.test(t.text)) return true;
    return !phrase && (IRREGULAR_PAST.has(word) || /^\p{Ll}+ed$/u.test(t.text));
  });
  if (verbal) return null;
  // "said Sunday that …" (a bare weekday, AP style) as well as "said on Sunday that …".
  const adjunctStart =
    first === undefined ||
    phrase ||
    TIME_WORDS.has(first) ||
    TIME_WORDS.has(before[0]?.text ?? '') ||
    PRE_VERB_WORDS.has(first);
  if (!adjunctStart && !OBJECT_VERBS.has(cue)) return null;
  let start = thatToken.end;
  while (/\s/.test(text[start] ?? '')) start++;
  return start;
}

/** "said the talks had failed": the clause right after the verb and its adjuncts, if it reads like a clause. */
export function bareClauseStart(
  text: string,
  quotes: readonly Quote[],
  from: number,
  sentenceEnd: number,
  cue: string,
): number | null {
  const start = skipAdjuncts(text, from, cue);
  if (start >= sentenceEnd || /^[,.;:!?)]/.test(text[start] ?? '')) return null;
  // "said on Wednesday, citing …": a participle phrase, not a reported clause.
  // ("said listening devices had been found" is a clause: the -ing word is a modifier there.)
  if (
    /^\p{Ll}+ing\s+(?:the|a|an|its|his|her|their|that|this|these|those|to|on|in|at|for|with)\b/u.test(
      text.slice(start, start + 40),
    )
  )
    return null;
  const end = clauseEnd(text, quotes, start, sentenceEnd);
  const commas = commasOutsideQuotes(text, quotes, start, end);
  const firstComma = commas[0] ?? end;
  if (looksLikeClause(tokenize(text, start, firstComma))) return start;
  // "said her client, Omar Zaid, would appeal": the subject, a name in apposition, then the verb.
  const second = commas[1];
  const between = text.slice(firstComma + 1, second ?? firstComma).trim();
  // … and "said the draft, which it published on Wednesday, showed otherwise", "said the bridge, due to
  // open in 2028, would carry …" (a short lower-case phrase about the subject).
  const parenthetical = /^\p{Ll}/u.test(between) && !/["“”]/.test(between) && tokenize(between).length <= 8;
  if (
    second === undefined ||
    !(isNameLike(text, firstComma + 1, second) || /^(?:which|who)\s/.test(between) || parenthetical)
  )
    return null;
  const subject = tokenize(text, start, firstComma);
  const predicate = tokenize(text, second + 1, commas[2] ?? end);
  // Right after the second comma is the verb's slot: "…, which it published on Wednesday, showed otherwise".
  const verb = predicate[0]?.text ?? '';
  const verbFirst = isVerbAt(predicate, 0) || IRREGULAR_PAST.has(verb) || /^\p{Ll}{3,}ed$/u.test(verb);
  return subject.length <= 4 && verbFirst ? start : null;
}
