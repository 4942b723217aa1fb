// Scores an extraction against a gold file of the corpus (see fixtures/corpus/README.md). Pure, so the
// evaluation script and the tests share it.
import type { Extraction, ParsedStory } from './types.ts';

export type GoldStatement = {
  speaker: string | null;
  kind: 'DIRECT' | 'INDIRECT';
  text: string;
  paragraph: number;
  /** For an unnamed source (speaker null): the description as printed, without its article. */
  speakerRole?: string;
};
export type GoldStory = {
  article: {
    headline: string;
    standfirst: string;
    dateline: { place: string; month: number; day: number };
    source: string;
    paragraphCount: number;
  };
  actors: { name: string; kind: string; aliases: string[]; roles?: string[] }[];
  treaties: { title: string; parties: string[]; provisions: string[] }[];
  statements: GoldStatement[];
  notStatements?: string[];
};

export type Counts = { truePositives: number; predicted: number; expected: number };
export type Score = Counts & { precision: number; recall: number; f1: number };

export type StoryScore = {
  statements: Score;
  direct: Score;
  indirect: Score;
  /** Statements found with the right text and kind, whoever the speaker: detection without attribution. */
  spans: Score;
  actors: Score;
  treaties: Score;
  provisions: Score;
  parties: Score;
  datelineCorrect: boolean;
  parseCorrect: boolean;
  /** Human-readable misses and false alarms, for the report. */
  errors: string[];
  /** Each statement found, with its confidence and whether it is right (kind, speaker and text). */
  judged: Judged[];
  /** Found statements that overlap a gold statement (predicted) and of those, with the exact span. */
  exactSpans: Counts;
  /** One short type per wrong or missed statement ("INDIRECT span too long", "wrong speaker: …"). */
  errorTypes: string[];
};

export type Judged = { confidence: number; correct: boolean; kind: string };

export function score(counts: Counts): Score {
  const { truePositives, predicted, expected } = counts;
  const precision = predicted === 0 ? 1 : truePositives / predicted;
  const recall = expected === 0 ? 1 : truePositives / expected;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives, predicted, expected, precision, recall, f1 };
}

export function addCounts(a: Counts, b: Counts): Counts {
  return {
    truePositives: a.truePositives + b.truePositives,
    predicted: a.predicted + b.predicted,
    expected: a.expected + b.expected,
  };
}

/** Counts matches between two lists of keys as multisets; returns the unmatched keys of each side too. */
function match(predicted: string[], expected: string[]): Counts & { missed: string[]; extra: string[] } {
  const pool = new Map<string, number>();
  for (const key of expected) pool.set(key, (pool.get(key) ?? 0) + 1);
  let truePositives = 0;
  const extra: string[] = [];
  for (const key of predicted) {
    const left = pool.get(key) ?? 0;
    if (left > 0) {
      truePositives++;
      pool.set(key, left - 1);
    } else extra.push(key);
  }
  const missed = [...pool].flatMap(([key, left]) => Array<string>(left).fill(key));
  return { truePositives, predicted: predicted.length, expected: expected.length, missed, extra };
}

/** Statement text as the gold files compare it: trimmed, without a trailing comma. */
export function normaliseStatementText(text: string): string {
  return text.trim().replace(/,$/, '').trim();
}

/** An unnamed source is compared by its description ("senior official"), without article or case. */
export function unnamedRole(role: string | null | undefined): string {
  return (role ?? '')
    .trim()
    .replace(/^(?:an?|the)\s+/i, '')
    .toLowerCase();
}

function speakerKey(s: { speaker: string | null; speakerRole?: string | null }): string {
  return s.speaker ?? `(unnamed: ${unnamedRole(s.speakerRole)})`;
}

const normaliseTitle = (title: string) =>
  title.trim().toLowerCase().replace(/[’]/g, "'").replace(/\s+/g, ' ');

export function scoreStory(story: ParsedStory, extraction: Extraction, gold: GoldStory): StoryScore {
  const errors: string[] = [];
  const statementKey = (s: {
    text: string;
    speaker: string | null;
    kind: string;
    speakerRole?: string | null;
  }) => `${s.kind} | ${speakerKey(s)} | ${normaliseStatementText(s.text)}`;
  const byKind = (kind: string | null) => {
    const predicted = extraction.statements.filter((s) => kind === null || s.kind === kind).map(statementKey);
    const expected = gold.statements.filter((s) => kind === null || s.kind === kind).map(statementKey);
    return match(predicted, expected);
  };
  const all = byKind(null);
  for (const key of all.missed) errors.push(`missed statement: ${key}`);
  for (const key of all.extra) errors.push(`extra statement: ${key}`);
  const spanKey = (s: { text: string; kind: string }) => `${s.kind} | ${normaliseStatementText(s.text)}`;
  const spans = match(extraction.statements.map(spanKey), gold.statements.map(spanKey));

  const actorKey = (a: { name: string; kind: string }) => `${a.kind} ${a.name}`;
  const actors = match(extraction.actors.map(actorKey), gold.actors.map(actorKey));
  for (const key of actors.missed) errors.push(`missed actor: ${key}`);
  for (const key of actors.extra) errors.push(`extra actor: ${key}`);

  const treaties = match(
    extraction.treaties.map((t) => normaliseTitle(t.title)),
    gold.treaties.map((t) => normaliseTitle(t.title)),
  );
  for (const key of treaties.missed) errors.push(`missed treaty: ${key}`);
  for (const key of treaties.extra) errors.push(`extra treaty: ${key}`);
  const provisionKeys = (list: { title: string; provisions: string[] }[]) =>
    list.flatMap((t) => t.provisions.map((number) => `${normaliseTitle(t.title)} art. ${number}`));
  const provisions = match(provisionKeys(extraction.treaties), provisionKeys(gold.treaties));
  for (const key of provisions.missed) errors.push(`missed provision: ${key}`);
  for (const key of provisions.extra) errors.push(`extra provision: ${key}`);
  const partyKeys = (list: { title: string; parties: string[] }[]) =>
    list.flatMap((t) => t.parties.map((party) => `${normaliseTitle(t.title)} party ${party}`));
  const parties = match(partyKeys(extraction.treaties), partyKeys(gold.treaties));

  const dateline = story.dateline;
  const expected = gold.article.dateline;
  const datelineCorrect =
    dateline !== null &&
    dateline.place === expected.place &&
    dateline.month === expected.month &&
    dateline.day === expected.day &&
    dateline.agency === gold.article.source;
  if (!datelineCorrect)
    errors.push(
      `dateline: got ${JSON.stringify(dateline)}, expected ${JSON.stringify(expected)} /${gold.article.source}/`,
    );
  const parseCorrect =
    story.headline === gold.article.headline &&
    story.standfirst === gold.article.standfirst &&
    story.paragraphs.length === gold.article.paragraphCount;
  if (!parseCorrect) errors.push('headline, standfirst or paragraph count differ from the gold article');

  const diagnosis = diagnoseStatements(story, extraction, gold, statementKey);
  return {
    ...diagnosis,
    statements: score(all),
    direct: score(byKind('DIRECT')),
    indirect: score(byKind('INDIRECT')),
    spans: score(spans),
    actors: score(actors),
    treaties: score(treaties),
    provisions: score(provisions),
    parties: score(parties),
    datelineCorrect,
    parseCorrect,
    errors,
  };
}

type Located = { paragraph: number; start: number; end: number; kind: string; text: string };

const overlaps = (a: Located, b: Located) =>
  a.paragraph === b.paragraph && a.start < b.end && b.start < a.end;

/**
 * Judges each statement found and names what went wrong with each miss and false alarm, pairing a
 * miss with a false alarm over the same words of the same paragraph ("INDIRECT span too long").
 */
function diagnoseStatements(
  story: ParsedStory,
  extraction: Extraction,
  gold: GoldStory,
  key: (s: { text: string; speaker: string | null; kind: string; speakerRole?: string | null }) => string,
): Pick<StoryScore, 'judged' | 'exactSpans' | 'errorTypes'> {
  const pool = new Map<string, number>();
  for (const g of gold.statements) pool.set(key(g), (pool.get(key(g)) ?? 0) + 1);
  const correct = extraction.statements.map((s) => {
    const left = pool.get(key(s)) ?? 0;
    if (left > 0) pool.set(key(s), left - 1);
    return left > 0;
  });
  const judged = extraction.statements.map((s, i) => ({
    confidence: s.confidence,
    correct: correct[i] ?? false,
    kind: s.kind,
  }));
  const goldLocated = gold.statements.map((g) => {
    const start = (story.paragraphs[g.paragraph] ?? '').indexOf(g.text);
    return { ...g, start, end: start + g.text.length };
  });
  const missed = goldLocated.filter((g) => {
    const left = pool.get(key(g)) ?? 0;
    if (left > 0) pool.set(key(g), left - 1);
    return left > 0;
  });
  // A gold statement is missed when its key stayed in the pool; restore the counts consumed above.
  for (const g of missed) pool.set(key(g), (pool.get(key(g)) ?? 0) + 1);
  const extra = extraction.statements.filter((_, i) => !correct[i]);

  const actorKind = new Map(gold.actors.map((a) => [a.name, a.kind]));
  const foundKind = new Map(extraction.actors.map((a) => [a.name, a.kind]));
  const who = (speaker: string | null, kinds: Map<string, string>) =>
    speaker === null ? 'unnamed' : (kinds.get(speaker) ?? 'unknown actor');
  const errorTypes: string[] = [];
  const paired = new Set<number>();
  for (const g of missed) {
    const i = extra.findIndex((p, index) => !paired.has(index) && overlaps(p, g));
    const p = extra[i];
    if (!p) {
      errorTypes.push(`missed ${g.kind} (${who(g.speaker, actorKind)} speaker)`);
      continue;
    }
    paired.add(i);
    const sameText = normaliseStatementText(p.text) === normaliseStatementText(g.text);
    if (p.kind !== g.kind) errorTypes.push(`${g.kind} found as ${p.kind}`);
    else if (!sameText) {
      const shape =
        p.start <= g.start && p.end >= g.end
          ? 'too long'
          : p.start >= g.start && p.end <= g.end
            ? 'too short'
            : 'shifted';
      errorTypes.push(`${g.kind} span ${shape}`);
    } else
      errorTypes.push(
        `wrong speaker: ${who(g.speaker, actorKind)} expected, ${who(p.speaker, foundKind)} given`,
      );
  }
  extra.forEach((p, i) => {
    if (!paired.has(i)) errorTypes.push(`spurious ${p.kind} (cue ${p.cue ?? 'none'})`);
  });

  let overlapping = 0;
  let exact = 0;
  for (const p of extraction.statements) {
    const near = goldLocated.filter((g) => overlaps(p, g));
    if (near.length === 0) continue;
    overlapping++;
    if (near.some((g) => normaliseStatementText(p.text) === normaliseStatementText(g.text))) exact++;
  }
  return {
    judged,
    exactSpans: { truePositives: exact, predicted: overlapping, expected: overlapping },
    errorTypes,
  };
}
