// Statements, sentence by sentence. Each reporting word outside quotes ("said", "told", "added",
// "according to", ", adding that") is read in one of a few shapes:
//   “Quote,” SPEAKER said.            → DIRECT   (also "said SPEAKER", and a quote right after: said: “…”)
//   SPEAKER said (that) CLAUSE.       → INDIRECT (a clause that is one whole quote is DIRECT)
//   CLAUSE, SPEAKER said on Thursday. → INDIRECT
//   According to SOURCE, CLAUSE. / CLAUSE, according to SOURCE.
// Quotes left over afterwards are DIRECT only when they stand as sentences of their own and continue
// an attributed quote (split or multi-paragraph) or follow a sentence about their speaker ("Santane was
// blunt. “…”"); anything else quoted inside narration is a label, a title or a scare quote.
import type { ActorIndex } from './actors.ts';
import {
  bareClauseStart,
  clauseEnd,
  looksLikeClause,
  skipAdjuncts,
  speakerGroupBefore,
  subjectBefore,
  thatClauseStart,
  trimStatement,
} from './clauses.ts';
import { calibratedConfidence, UNNAMED_SPEAKER_CONFIDENCE } from './confidence.ts';
import { position } from './context.ts';
import { REPORTING_PARTICIPLES, REPORTING_VERBS, THAT_ONLY_VERBS } from './lexicon.ts';
import { isInsideQuote, type Quote, type Sentence } from './quotes.ts';
import {
  type DocumentIssuer,
  firstRole,
  type Resolution,
  registerDocument,
  resolveSpeaker,
} from './speakers.ts';
import { tokenize } from './text.ts';
import type { ExtractedStatement, StatementKind } from './types.ts';

type Cue = {
  start: number;
  end: number;
  word: string;
  kind: 'verb' | 'participle' | 'according' | 'named' | 'put' | 'called';
  /** The speaker phrase when the construction fixes it: "quoted [X] as saying", "as [X] put it". */
  speaker?: [number, number];
};

// "a spokesperson quoted President Lee as saying …": the speaker is the object of "quoted".
const QUOTED_OBJECT_AS = /\bquoted\s+((?!as\b)[^,.;"“”]{2,80}?)\s+as\s*$/i;
// "as Delvaux put it", "as she put it": the quote nearby is that speaker's.
const AS_PUT_IT = /\bas\s+([^,.;"“”]{1,60}?)\s+put\s+it\b/gi;
// "called the launch "an outrageous act"", "described the plan as "…"": a quoted characterisation.
const CHARACTERISATION = /^\s+(?:[^,.;"“”]{1,60}?\s+)?(?:as\s+)?$/;
const CHARACTERISING_VERBS = new Set(['called', 'described', 'branded', 'termed']);

type Draft = {
  paragraph: number;
  start: number;
  end: number;
  kind: StatementKind;
  resolution: Resolution;
  cue: string | null;
  quote: Quote | null;
  confidenceScale: number;
};

const MAX_SENTENCE_LENGTH = 5_000;
const MAX_CUES_PER_SENTENCE = 40;

// Words before a reporting verb that make it something else: "to say", "the said treaty", "was told".
const NOT_A_CUE_AFTER = new Set(['to', 'the', 'a', 'an', 'be', 'been', 'being', 'was', 'were', 'is', 'are']);

function cuesIn(text: string, quotes: readonly Quote[], sentence: Sentence): Cue[] {
  const cues: Cue[] = [];
  const tokens = tokenize(text, sentence.start, sentence.end);
  tokens.forEach((token, i) => {
    if (isInsideQuote(quotes, token.start)) return;
    const word = token.text.toLowerCase();
    const previous = tokens[i - 1];
    const next = tokens[i + 1];
    const quotedAs = word === 'saying' && /\bquoted\s+as\s*$/i.test(text.slice(sentence.start, token.start));
    const quotedObject =
      word === 'saying' ? QUOTED_OBJECT_AS.exec(text.slice(sentence.start, token.start)) : null;
    if (quotedObject?.[1] && !/^(?:was|were|is|are|been)$/i.test(quotedObject[1].trim())) {
      const speakerStart = sentence.start + quotedObject.index + quotedObject[0].indexOf(quotedObject[1]);
      cues.push({
        start: token.start,
        end: token.end,
        word: 'quoted as saying',
        kind: 'named',
        speaker: [speakerStart, speakerStart + quotedObject[1].length],
      });
    } else if (quotedAs) {
      // "X was quoted as saying that …": the speaker phrase ends before "was quoted".
      const lead = /\s+(?:(?:was|were|is|are|has been|had been)\s+)?quoted\s+as\s*$/i.exec(
        text.slice(sentence.start, token.start),
      );
      cues.push({
        start: sentence.start + (lead?.index ?? 0),
        end: token.end,
        word: token.text,
        kind: 'verb',
      });
    } else if (CHARACTERISING_VERBS.has(word) && !NOT_A_CUE_AFTER.has(previous?.text.toLowerCase() ?? '')) {
      cues.push({ start: token.start, end: token.end, word: token.text, kind: 'called' });
    } else if (
      word === 'in' &&
      /^(?:his|her|their|its)$/i.test(next?.text ?? '') &&
      tokens[i + 2]?.text.toLowerCase() === 'words' &&
      next
    ) {
      // "In her words, the mission would …": reported like "According to her, …".
      const words = tokens[i + 2] as { end: number };
      cues.push({
        start: token.start,
        end: words.end,
        word: 'in her words',
        kind: 'according',
        speaker: [next.start, next.end],
      });
    } else if (word === 'according' && next?.text.toLowerCase() === 'to') {
      cues.push({ start: token.start, end: next.end, word: 'according to', kind: 'according' });
    } else if (REPORTING_VERBS.has(word) && !NOT_A_CUE_AFTER.has(previous?.text.toLowerCase() ?? '')) {
      cues.push({ start: token.start, end: token.end, word: token.text, kind: 'verb' });
    } else if (
      REPORTING_PARTICIPLES.has(word) &&
      previous &&
      /,["”]?\s*$/.test(text.slice(previous.end, token.start))
    ) {
      cues.push({ start: token.start, end: token.end, word: token.text, kind: 'participle' });
    }
  });
  const sentenceText = text.slice(sentence.start, sentence.end);
  for (const match of sentenceText.matchAll(AS_PUT_IT)) {
    const speakerStart = sentence.start + (match.index ?? 0) + match[0].indexOf(match[1] ?? '');
    const start = sentence.start + (match.index ?? 0);
    if (isInsideQuote(quotes, start)) continue;
    cues.push({
      start,
      end: start + match[0].length,
      word: 'put it',
      kind: 'put',
      speaker: [speakerStart, speakerStart + (match[1] ?? '').length],
    });
  }
  return cues.sort((a, b) => a.start - b.start);
}

/** Reads one paragraph; `previous` carries the paragraph before, for quotes that run on. */
class ParagraphReader {
  readonly drafts: Draft[] = [];
  private readonly consumed = new Set<Quote>();
  private readonly indirect: [number, number][] = [];
  private readonly text: string;
  private readonly quotes: readonly Quote[];

  constructor(
    private readonly index: ActorIndex,
    private readonly documents: DocumentIssuer[],
    private readonly paragraph: number,
  ) {
    this.text = index.context.paragraphs[paragraph] ?? '';
    this.quotes = index.context.quotes[paragraph] ?? [];
  }

  read(previous: ParagraphReader | null): void {
    for (const sentence of this.index.context.sentences[this.paragraph] ?? []) this.readSentence(sentence);
    this.readLeftoverQuotes(previous);
  }

  private resolve(start: number, end: number): Resolution {
    return resolveSpeaker(this.index, this.documents, this.paragraph, start, end);
  }

  private insideIndirect(at: number): boolean {
    return this.indirect.some(([start, end]) => at >= start && at < end);
  }

  private emitDirect(quote: Quote, resolution: Resolution, cue: string | null, confidenceScale = 1): void {
    if (this.consumed.has(quote)) return;
    this.consumed.add(quote);
    if (resolution.kind === 'none') return;
    let end = quote.contentEnd;
    while (end > quote.contentStart && /[\s,]/.test(this.text[end - 1] ?? '')) end--;
    let start = quote.contentStart;
    while (start < end && /\s/.test(this.text[start] ?? '')) start++;
    if (end <= start) return;
    this.drafts.push({
      paragraph: this.paragraph,
      start,
      end,
      kind: 'DIRECT',
      resolution,
      cue,
      quote,
      confidenceScale,
    });
  }

  private emitIndirect(from: number, to: number, resolution: Resolution, cue: string): void {
    const [start, end] = trimStatement(this.text, this.quotes, from, to);
    if (end <= start) return;
    // A reported clause that is one whole quote is the speaker's own words.
    const whole = this.quotes.find((q) => q.open === start && q.end === end);
    if (whole) {
      this.emitDirect(whole, resolution, cue);
      return;
    }
    for (const quote of this.quotes) if (quote.open >= start && quote.end <= end) this.consumed.add(quote);
    this.indirect.push([start, end]);
    if (resolution.kind === 'none') return;
    const words = tokenize(this.text, start, end);
    if (words.length < 2) return;
    this.drafts.push({
      paragraph: this.paragraph,
      start,
      end,
      kind: 'INDIRECT',
      resolution,
      cue,
      quote: null,
      confidenceScale: 0.95,
    });
  }

  private readSentence(sentence: Sentence): void {
    // Real sentences are far shorter; the limits keep the rules linear on pathological input.
    if (sentence.end - sentence.start > MAX_SENTENCE_LENGTH) return;
    let last: Resolution | null = null;
    const cues = cuesIn(this.text, this.quotes, sentence).slice(0, MAX_CUES_PER_SENTENCE);
    // "Korsk maintains that …, Minister Rybin told VOSTPRESS.": the final attribution reports the whole
    // clause, and the report inside it is part of what was said.
    const final = cues.at(-1);
    const comma = final && cues.length > 1 ? this.finalAttributionComma(sentence, final) : null;
    if (final && comma !== null && cues.some((c) => c !== final && c.kind === 'verb' && c.end <= comma))
      cues.unshift(...cues.splice(cues.length - 1, 1));
    for (const cue of cues) {
      if (this.insideIndirect(cue.start)) continue;
      if (cue.kind === 'according') last = this.readAccordingTo(sentence, cue) ?? last;
      else if (cue.kind === 'named' && cue.speaker) {
        last = this.resolve(cue.speaker[0], cue.speaker[1]);
        if (!this.readComplement(sentence, cue, last)) this.readQuoteOpeningSentence(sentence, cue, last);
      } else if (cue.kind === 'put' && cue.speaker) {
        last = this.resolve(cue.speaker[0], cue.speaker[1]);
        this.readPutIt(sentence, cue, last);
      } else if (cue.kind === 'called') last = this.readCharacterisation(sentence, cue) ?? last;
      else if (cue.kind === 'participle') {
        // "Tarvonia rejected the plan, saying …": without an earlier cue, the sentence's subject speaks.
        last ??= this.sentenceSubject(sentence, cue);
        if (last) this.readComplement(sentence, cue, last);
      } else if (
        last &&
        /\b(?:and|but)\s+(?:also\s+|later\s+|then\s+)?$/.test(this.text.slice(sentence.start, cue.start))
      ) {
        // "said that A and warned that B": the second verb shares the subject.
        this.readComplement(sentence, cue, last);
      } else {
        last = this.readVerb(sentence, cue) ?? last;
      }
      if (last)
        registerDocument(
          this.documents,
          this.text.slice(sentence.start, sentence.end),
          last,
          position(this.paragraph, sentence.start),
        );
    }
  }

  /** The comma before "…, NAME told reporters." when the cue ends the sentence with nothing reported after it. */
  private finalAttributionComma(sentence: Sentence, cue: Cue): number | null {
    if (cue.kind !== 'verb') return null;
    const word = cue.word.toLowerCase();
    if (this.quoteAfter(sentence, cue)) return null;
    if (thatClauseStart(this.text, this.quotes, cue.end, sentence.end, word) !== null) return null;
    if (bareClauseStart(this.text, this.quotes, cue.end, sentence.end, word) !== null) return null;
    if (this.quotes.some((q) => q.open >= cue.end && q.open < sentence.end)) return null;
    const group = speakerGroupBefore(this.text, this.quotes, sentence.start, cue.start);
    if (!group || group.commaBefore === null) return null;
    if (!looksLikeClause(tokenize(this.text, sentence.start, group.commaBefore))) return null;
    return this.resolve(group.start, group.end).kind === 'actor' ? group.commaBefore : null;
  }

  private sentenceSubject(sentence: Sentence, cue: Cue): Resolution | null {
    const subject = subjectBefore(this.text, this.quotes, sentence.start, cue.start);
    return subject ? this.resolve(subject.start, subject.end) : null;
  }

  /** The quote that closes just before the cue, with only a speaker phrase between ("…,” the ministry said). */
  private quoteBefore(
    sentence: Sentence,
    cue: Cue,
  ): { quote: Quote; phrase: [number, number] | null } | null {
    const quote = [...this.quotes]
      .reverse()
      .find(
        (q) => q.closed && q.end <= cue.start && q.open >= sentence.start && !this.insideIndirect(q.open),
      );
    if (!quote) return null;
    const gap = this.text.slice(quote.end, cue.start);
    if (/^[\s,]*$/.test(gap)) return { quote, phrase: null };
    const lead = /^[\s,]*/.exec(gap)?.[0].length ?? 0;
    const tokens = tokenize(this.text, quote.end + lead, cue.start);
    if (tokens.length === 0 || tokens.length > 12 || /["“”.;:]/.test(gap) || looksLikeClause(tokens))
      return null;
    // Everything between the quote and the verb must be the speaker ("…,” Varga, the minister, said),
    // not narration ("…” by ten years, the ministry announced).
    const group = speakerGroupBefore(this.text, this.quotes, quote.end + lead, cue.start);
    if (!group || group.commaBefore !== null) return null;
    return { quote, phrase: [group.start, group.end] };
  }

  /** Inverted order: "…,” said the minister" — the phrase after the verb, up to an adjunct or punctuation. */
  private phraseAfter(cue: Cue, sentence: Sentence): [number, number] | null {
    const rest = this.text.slice(cue.end, sentence.end);
    const match =
      /^\s+((?:the\s+)?[^,.;:"“”]+?)(?=\s*[,.;:]|\s*$|\s+(?:on|in|at|after|before|during|last|yesterday|today|who|speaking)\b)/u.exec(
        rest,
      );
    if (!match?.[1]) return null;
    const start = cue.end + match[0].length - match[1].length;
    // "said the mediator, Henrik Falk, …": the name in apposition is the speaker's.
    const named = /^,\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){1,3})(?=\s*[,.;:]|\s*$)/u.exec(
      rest.slice(match[0].length),
    );
    if (named?.[1] && /^the\s/i.test(match[1])) return [start, cue.end + match[0].length + named[0].length];
    return [start, start + match[1].length];
  }

  /** A quote opening right after the verb (and its adjuncts): said: “…”, said, “…”. */
  private quoteAfter(sentence: Sentence, cue: Cue): Quote | undefined {
    const from = skipAdjuncts(this.text, cue.end, cue.word.toLowerCase());
    const quote = this.quotes.find((q) => q.open >= cue.end && q.open < sentence.end);
    if (!quote || from > quote.open) return undefined;
    // Only the verb's adjuncts may stand between it and the quote: said: “…”, told reporters in Drazen: “…”.
    const gap = this.text.slice(from, quote.open);
    const adjunctsOnly =
      /^[\s:,]*$/.test(gap) ||
      (/[:,]\s*$/.test(gap) &&
        !/["“”.;]/.test(gap) &&
        !looksLikeClause(tokenize(gap)) &&
        tokenize(gap).length <= 8);
    if (!adjunctsOnly) return undefined;
    // The quote must be all that was said: in `said "the orchard" was a myth` it is only part of a clause.
    const after = this.text.slice(quote.end, sentence.end);
    const rest = /^[\s.,;:!?]*$/.test(after) || /^,\s*(\p{Ll}+)/u.exec(after)?.[1];
    return rest === true || (typeof rest === 'string' && REPORTING_PARTICIPLES.has(rest)) ? quote : undefined;
  }

  private startsSentence(quote: Quote, sentence: Sentence): boolean {
    return this.text.slice(sentence.start, quote.open).trim() === '';
  }

  private readVerb(sentence: Sentence, cue: Cue): Resolution | null {
    const before = this.quoteBefore(sentence, cue);
    if (before) {
      const phrase = before.phrase ?? this.phraseAfter(cue, sentence);
      const resolution: Resolution = phrase
        ? this.resolve(phrase[0], phrase[1])
        : { kind: 'unknown', role: null };
      if (this.startsSentence(before.quote, sentence)) {
        this.emitDirect(before.quote, resolution, cue.word);
        const next = this.quoteAfter(sentence, cue);
        if (next) this.emitDirect(next, resolution, cue.word);
        return resolution;
      }
      // Narration ending in a partial quote: “… as "groundless",” she said — a reported clause.
      this.emitIndirect(sentence.start, before.quote.end, resolution, cue.word);
      return resolution;
    }
    // "…, according to the JCS, which said it was …": the relative pronoun stands for the source before it.
    const relative = /,\s*(?:which|who)\s+(?:\p{Ll}+\s+){0,2}$/u.exec(
      this.text.slice(sentence.start, cue.start),
    );
    if (relative) {
      const commaAt = sentence.start + relative.index;
      const before = this.text.slice(sentence.start, commaAt);
      const partStart = sentence.start + before.lastIndexOf(',') + 1;
      const source = /^\s*(?:according\s+to\s+)?/i.exec(this.text.slice(partStart, commaAt))?.[0].length ?? 0;
      const resolution = this.resolve(partStart + source, commaAt);
      if (resolution.kind === 'actor' && this.readComplement(sentence, cue, resolution)) return resolution;
    }
    // "CLAUSE, said Mihai Stan, Kaspia's deputy economy minister."
    const inverted = this.invertedAfterClause(sentence, cue);
    if (inverted) return inverted;
    const group = speakerGroupBefore(this.text, this.quotes, sentence.start, cue.start);
    if (!group) return this.readInvertedClauseBefore(sentence, cue);
    const resolution = this.resolve(group.start, group.end);
    // "CLAUSE, as Finance Minister Ekberg noted (when …)": the clause before is what was noted.
    if (group.commaBefore !== null && /^as\s/i.test(this.text.slice(group.start, group.end))) {
      const clause = tokenize(this.text, sentence.start, group.commaBefore);
      // The construction is strong enough that any clause-sized stretch will do ("still needs").
      if (looksLikeClause(clause) || clause.length >= 4) {
        this.emitIndirect(sentence.start, group.commaBefore, resolution, cue.word);
        return resolution;
      }
    }
    if (this.readComplement(sentence, cue, resolution)) return resolution;
    // CLAUSE, SPEAKER said on Thursday.
    if (group.commaBefore !== null) {
      const clause = tokenize(this.text, sentence.start, group.commaBefore);
      // The construction is strong enough that any clause-sized stretch will do ("still needs").
      if (looksLikeClause(clause) || clause.length >= 4) {
        this.emitIndirect(sentence.start, group.commaBefore, resolution, cue.word);
        return resolution;
      }
    }
    return null;
  }

  /**
   * "CLAUSE, said NAME, ROLE.": the verb right after a comma that closes a clause, and a named speaker after
   * it (an appositive name before the verb, "…, the mediator, Ambassador Vasseur, said", is not this).
   */
  private invertedAfterClause(sentence: Sentence, cue: Cue): Resolution | null {
    const before = this.text.slice(sentence.start, cue.start);
    const comma = before.search(/,\s*$/);
    if (comma < 0) return null;
    const partStart = sentence.start + before.lastIndexOf(',', comma - 1) + 1;
    if (!looksLikeClause(tokenize(this.text, partStart, sentence.start + comma))) return null;
    const phrase = this.phraseAfter(cue, sentence);
    if (!phrase || looksLikeClause(tokenize(this.text, phrase[0], phrase[1]))) return null;
    if (this.resolve(phrase[0], phrase[1]).kind !== 'actor') return null;
    return this.readInvertedClauseBefore(sentence, cue);
  }

  /** "…, said the minister." */
  private readInvertedClauseBefore(sentence: Sentence, cue: Cue): Resolution | null {
    const before = this.text.slice(sentence.start, cue.start);
    const comma = before.search(/,\s*$/);
    const phrase = this.phraseAfter(cue, sentence);
    if (comma < 0 || !phrase) return null;
    const clauseEndAt = sentence.start + comma;
    if (!looksLikeClause(tokenize(this.text, sentence.start, clauseEndAt))) return null;
    const resolution = this.resolve(phrase[0], phrase[1]);
    this.emitIndirect(sentence.start, clauseEndAt, resolution, cue.word);
    return resolution;
  }

  /** What follows a verb or participle: a quote, a "that" clause or a bare clause. True if one was found. */
  private readComplement(sentence: Sentence, cue: Cue, resolution: Resolution): boolean {
    const word = cue.word.toLowerCase();
    const quote = this.quoteAfter(sentence, cue);
    if (quote) {
      this.emitDirect(quote, resolution, cue.word);
      return true;
    }
    const start =
      thatClauseStart(this.text, this.quotes, cue.end, sentence.end, word) ??
      (THAT_ONLY_VERBS.has(word)
        ? null
        : bareClauseStart(this.text, this.quotes, cue.end, sentence.end, word));
    if (start === null) return false;
    let end = clauseEnd(this.text, this.quotes, start, sentence.end);
    // "Varga, who said last week that the talks had failed, arrived …": the relative clause ends at its comma.
    if (/,\s*who\s+(?:\p{Ll}+\s+){0,2}$/u.test(this.text.slice(sentence.start, cue.start))) {
      const comma = this.text.slice(start, end).search(/,\s/);
      if (comma >= 0) end = start + comma;
    }
    this.emitIndirect(start, end, resolution, cue.word);
    return true;
  }

  /** "as X put it, “…”" or "“…,” as X put it": the quote next to the phrase. */
  private readPutIt(sentence: Sentence, cue: Cue, resolution: Resolution): void {
    const after = this.quotes.find(
      (q) => q.open >= cue.end && q.open < sentence.end && /^[\s,:]*$/.test(this.text.slice(cue.end, q.open)),
    );
    const before = [...this.quotes]
      .reverse()
      .find((q) => q.closed && q.end <= cue.start && /^[\s,]*$/.test(this.text.slice(q.end, cue.start)));
    const quote = after ?? before;
    if (quote && !this.consumed.has(quote)) this.emitDirect(quote, resolution, cue.word);
  }

  /** "X called the launch “an outrageous act”": the quoted words are the subject's. */
  private readCharacterisation(sentence: Sentence, cue: Cue): Resolution | null {
    const quote = this.quotes.find((q) => q.open > cue.end && q.open < sentence.end);
    if (!quote || this.consumed.has(quote) || this.insideIndirect(quote.open)) return null;
    if (!CHARACTERISATION.test(this.text.slice(cue.end, quote.open))) return null;
    // "posts … that prosecutors described as “…”": the subject of the relative clause.
    const relative = /\b(?:that|which|whom)\s+([^,;"“”]{1,60}?)\s*$/u.exec(
      this.text.slice(sentence.start, cue.start),
    );
    const relativeStart = relative?.[1]
      ? sentence.start + relative.index + relative[0].indexOf(relative[1])
      : -1;
    const group =
      relative?.[1] && relativeStart >= 0
        ? { start: relativeStart, end: relativeStart + relative[1].length }
        : speakerGroupBefore(this.text, this.quotes, sentence.start, cue.start);
    const subject = group ?? subjectBefore(this.text, this.quotes, sentence.start, cue.start);
    if (!subject) return null;
    const resolution = this.resolve(subject.start, subject.end);
    if (resolution.kind === 'none') return null;
    this.emitDirect(quote, resolution, cue.word);
    return resolution;
  }

  /** "“…,” the report quoted Vice Minister Zhou Kang as saying.": the quote that opens the sentence. */
  private readQuoteOpeningSentence(sentence: Sentence, cue: Cue, resolution: Resolution): void {
    const quote = this.quotes.find(
      (q) => q.closed && q.open >= sentence.start && q.end <= cue.start && this.startsSentence(q, sentence),
    );
    if (!quote || this.consumed.has(quote)) return;
    if (/["“”.;:]/.test(this.text.slice(quote.end, cue.start))) return;
    this.emitDirect(quote, resolution, cue.word);
  }

  private readAccordingTo(sentence: Sentence, cue: Cue): Resolution | null {
    const before = this.text.slice(sentence.start, cue.start);
    if (before.trim() === '') {
      // According to SOURCE, CLAUSE.
      const comma = this.text.slice(cue.end, sentence.end).search(/,/);
      if (comma < 0) return null;
      const sourceEnd = cue.end + comma;
      const resolution = cue.speaker
        ? this.resolve(cue.speaker[0], cue.speaker[1])
        : this.resolve(cue.end, sourceEnd);
      this.emitIndirect(
        sourceEnd + 1,
        clauseEnd(this.text, this.quotes, sourceEnd + 1, sentence.end),
        resolution,
        cue.word,
      );
      return resolution;
    }
    const comma = before.search(/,\s*$/);
    if (comma < 0) return null;
    // CLAUSE, according to SOURCE.
    // "X said the government would …, according to his office": the clause is already X's statement.
    const clauseStart = sentence.start;
    const clauseStop = sentence.start + comma;
    if (this.drafts.some((d) => d.start >= clauseStart && d.end <= clauseStop)) return null;
    const rest = this.text.slice(cue.end, sentence.end);
    const sourceEnd = cue.end + (rest.search(/[,;]/) >= 0 ? rest.search(/[,;]/) : rest.length);
    const resolution = this.resolve(cue.end, sourceEnd);
    this.emitIndirect(sentence.start, sentence.start + comma, resolution, cue.word);
    return resolution;
  }

  /** The sentence holds nothing but this quote (and punctuation). */
  private isWholeSentence(quote: Quote): boolean {
    const sentence = (this.index.context.sentences[this.paragraph] ?? []).find(
      (s) => quote.open >= s.start && quote.open < s.end,
    );
    if (!sentence) return false;
    const outside = this.text.slice(sentence.start, quote.open) + this.text.slice(quote.end, sentence.end);
    return /^[\s.,;:!?—–-]*$/.test(outside);
  }

  /** Split quotes ("A," she said. "B.") and multi-paragraph quotes take the speaker of their other part. */
  private readLeftoverQuotes(previous: ParagraphReader | null): void {
    for (const quote of this.quotes) {
      if (this.consumed.has(quote) || this.insideIndirect(quote.open)) continue;
      if (quote.continuesPrevious && previous) {
        const runOn = previous.openQuoteDraft();
        if (runOn) {
          this.emitDirect(quote, runOn.resolution, null, 0.9);
          continue;
        }
      }
      if (!this.isWholeSentence(quote)) continue;
      const neighbour =
        [...this.drafts].reverse().find((d) => d.kind === 'DIRECT' && d.start < quote.open) ??
        this.drafts.find((d) => d.kind === 'DIRECT' && d.start > quote.open);
      if (neighbour) {
        this.emitDirect(quote, neighbour.resolution, null, 0.9);
        continue;
      }
      // "Santane was more cautious. “Meridia is ready …”": the quote belongs to the one just described.
      const introduced = this.subjectOfSentenceBefore(quote);
      if (introduced) this.emitDirect(quote, introduced, null, 0.6);
    }
    this.drafts.sort((a, b) => a.start - b.start);
  }

  /** The subject of the sentence before the quote (in this paragraph, or the last one of the previous). */
  private subjectOfSentenceBefore(quote: Quote): Resolution | null {
    const { context } = this.index;
    const own = (context.sentences[this.paragraph] ?? []).filter((s) => s.end <= quote.open);
    const previous =
      own.length > 0 ? own[own.length - 1] : (context.sentences[this.paragraph - 1] ?? []).at(-1);
    if (!previous) return null;
    const text = context.paragraphs[previous.paragraph] ?? '';
    const quotes = context.quotes[previous.paragraph] ?? [];
    if (quotes.some((q) => q.open >= previous.start && q.open < previous.end)) return null;
    const subject = subjectBefore(text, quotes, previous.start, previous.end);
    if (!subject) return null;
    const resolution = resolveSpeaker(
      this.index,
      this.documents,
      previous.paragraph,
      subject.start,
      subject.end,
    );
    return resolution.kind === 'actor' ? resolution : null;
  }

  /** The statement made of a quote left open at the end of this paragraph. */
  openQuoteDraft(): Draft | undefined {
    return this.drafts.find((d) => d.quote !== null && !d.quote.closed);
  }

  /** A quote left open here whose continuation was attributed later (“A ¶ “B,” she said.). */
  attributeOpenQuote(next: ParagraphReader): void {
    const open = this.quotes[this.quotes.length - 1];
    const continued = next.drafts.find((d) => d.quote?.continuesPrevious);
    if (!open || open.closed || this.consumed.has(open) || !continued) return;
    this.emitDirect(open, continued.resolution, null, 0.85);
    this.drafts.sort((a, b) => a.start - b.start);
  }
}

function toStatement(index: ActorIndex, draft: Draft): ExtractedStatement {
  const text = (index.context.paragraphs[draft.paragraph] ?? '').slice(draft.start, draft.end);
  const base = {
    paragraph: draft.paragraph,
    start: draft.start,
    end: draft.end,
    text,
    kind: draft.kind,
    cue: draft.cue,
  };
  const { resolution } = draft;
  if (resolution.kind === 'actor') {
    const confidence = calibratedConfidence(resolution.confidence * draft.confidenceScale);
    return {
      ...base,
      speaker: resolution.actor.name,
      speakerRole: resolution.role ?? firstRole(resolution.actor),
      confidence,
    };
  }
  return {
    ...base,
    speaker: null,
    speakerRole: resolution.kind === 'unknown' ? resolution.role : null,
    confidence: UNNAMED_SPEAKER_CONFIDENCE,
  };
}

export function findStatements(index: ActorIndex, documents: DocumentIssuer[]): ExtractedStatement[] {
  const readers: ParagraphReader[] = [];
  index.context.paragraphs.forEach((_, paragraph) => {
    const reader = new ParagraphReader(index, documents, paragraph);
    reader.read(readers[paragraph - 1] ?? null);
    readers.push(reader);
  });
  for (let p = readers.length - 2; p >= 0; p--)
    readers[p]?.attributeOpenQuote(readers[p + 1] as ParagraphReader);
  return readers.flatMap((reader) => reader.drafts.map((draft) => toStatement(index, draft)));
}
