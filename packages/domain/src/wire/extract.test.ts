import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractStory, extractStoryStrict } from './extract.ts';
import { parseStory } from './parse.ts';
import { addCounts, type Counts, normaliseStatementText, score, scoreStory } from './score.ts';
import { corpusStories, seedStory } from './test-corpus.ts';
import type { Extraction, ParsedStory } from './types.ts';

function parse(text: string): ParsedStory {
  const result = parseStory(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.story;
}

/** The provenance invariant: every span is exactly the characters it points at. */
function expectSpansHold(story: ParsedStory, extraction: Extraction): void {
  const spans = [
    ...extraction.statements,
    ...extraction.mentions,
    ...extraction.treaties.flatMap((t) => t.mentions),
  ];
  for (const span of spans) {
    expect(story.paragraphs[span.paragraph]?.slice(span.start, span.end)).toBe(span.text);
  }
}

describe('extractStory on the seed story', () => {
  const { text, gold } = seedStory();
  const story = parse(text);
  const extraction = extractStoryStrict(story);

  it('finds exactly the gold statements', () => {
    const simplify = (s: { text: string; kind: string; speaker: string | null; paragraph: number }) => ({
      text: normaliseStatementText(s.text),
      kind: s.kind,
      speaker: s.speaker,
      paragraph: s.paragraph,
    });
    expect(extraction.statements.map(simplify)).toEqual(gold.statements.map(simplify));
  });

  it('reports cues, roles and confidence', () => {
    const [first, second, third, fourth] = extraction.statements;
    expect(first).toMatchObject({ cue: 'said', speakerRole: 'Russian Deputy Foreign Minister' });
    expect(second).toMatchObject({ cue: 'said' });
    expect(third).toMatchObject({ cue: 'added' });
    expect(fourth).toMatchObject({ cue: 'said', speakerRole: 'high-ranking Russian diplomat' });
    // A name next to the cue is surer than a pronoun or a description.
    expect(first?.confidence).toBeGreaterThan(third?.confidence ?? 1);
    expect(second?.confidence).toBeGreaterThan(fourth?.confidence ?? 1);
    for (const statement of extraction.statements) {
      expect(statement.confidence).toBeGreaterThan(0);
      expect(statement.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('finds the gold actors, with aliases and normalised roles', () => {
    const actors = [...extraction.actors].map((a) => `${a.kind} ${a.name}`).sort();
    expect(actors).toEqual(gold.actors.map((a) => `${a.kind} ${a.name}`).sort());
    const byName = new Map(extraction.actors.map((a) => [a.name, a]));
    expect(byName.get('Andrey Rudenko')).toMatchObject({
      aliases: ['Rudenko'],
      roles: ['Deputy Foreign Minister of Russia'],
    });
    expect(byName.get('Vladimir Putin')?.roles).toEqual(['President of Russia']);
    expect(byName.get('Russia')?.aliases).toEqual(expect.arrayContaining(['Russian Federation', 'Moscow']));
    expect(byName.get('North Korea')?.aliases).toEqual(expect.arrayContaining(['DPRK', 'Pyongyang']));
    // The agency is the publisher, not an actor.
    expect(byName.has('TASS')).toBe(false);
  });

  it('finds the treaties and their provisions', () => {
    expect(
      extraction.treaties.map(({ title, parties, provisions }) => ({ title, parties, provisions })),
    ).toEqual(gold.treaties.map(({ title, parties, provisions }) => ({ title, parties, provisions })));
    const provisions = extraction.mentions
      .filter((m) => m.target.kind === 'provision')
      .map((m) => [m.text, m.target]);
    expect(provisions).toEqual([
      ['Article 4', { kind: 'provision', treatyTitle: gold.treaties[0]?.title, number: '4' }],
      ['Article 51', { kind: 'provision', treatyTitle: 'Charter of the United Nations', number: '51' }],
    ]);
  });

  it('keeps the dateline', () => {
    expect(story.dateline).toMatchObject({ place: 'MOSCOW', month: 10, day: 24, agency: 'TASS' });
  });
});

describe('extractStory on the labelled corpus', () => {
  const stories = corpusStories().map(({ name, text, gold }) => {
    const story = parse(text);
    return { name, story, gold, extraction: extractStoryStrict(story) };
  });

  it.each(stories.map((s) => [s.name, s] as const))(
    'keeps every span true to its paragraph: %s',
    (_, { story, extraction }) => {
      expectSpansHold(story, extraction);
    },
  );

  it('meets the attribution targets on DIRECT and INDIRECT statements', () => {
    const zero: Counts = { truePositives: 0, predicted: 0, expected: 0 };
    let direct = zero;
    let indirect = zero;
    for (const { story, gold, extraction } of stories) {
      const scored = scoreStory(story, extraction, gold);
      direct = addCounts(direct, scored.direct);
      indirect = addCounts(indirect, scored.indirect);
      expect(scored.datelineCorrect).toBe(true);
    }
    expect(score(direct).precision).toBeGreaterThanOrEqual(0.97);
    expect(score(direct).recall).toBeGreaterThanOrEqual(0.95);
    expect(score(indirect).precision).toBeGreaterThanOrEqual(0.9);
    expect(score(indirect).recall).toBeGreaterThanOrEqual(0.85);
  });

  it('extracts the seed and dev stories exactly as their gold files say (the importer stores them so)', () => {
    const errors = stories.flatMap(({ name, story, gold, extraction }) =>
      scoreStory(story, extraction, gold).errors.map((error) => `${name}: ${error}`),
    );
    expect(errors).toEqual([]);
  });

  it('never makes a statement of a notStatement', () => {
    for (const { gold, extraction } of stories) {
      for (const label of gold.notStatements ?? []) {
        expect(extraction.statements.map((s) => normaliseStatementText(s.text))).not.toContain(label);
      }
    }
  });
});

describe('parts of a text', () => {
  it('are never people, so a pronoun after them finds the speaker named before', () => {
    const story = parse(
      [
        'Headline',
        'Standfirst',
        'TESONE, December 5 (ZNA) — Rina Vasberg, Arsennese Defence Minister, said the talks went well.',
        'Under Article I of the agreement, either party may leave. Article V provides for a joint commission.',
        'She warned that the government remained committed to the negotiations.',
      ].join('\n'),
    );
    const extraction = extractStoryStrict(story);
    expect(extraction.actors.map((a) => a.name)).not.toContain('Article V');
    expect(extraction.actors.map((a) => a.name)).not.toContain('Article I');
    const warned = extraction.statements.find((s) => s.text.startsWith('the government remained'));
    expect(warned?.speaker).toBe('Rina Vasberg');
  });
});

describe('known actors', () => {
  it('resolve names and aliases, case- and accent-blind, to their canonical names', () => {
    const story = parse(
      [
        'Headline',
        'Standfirst',
        'SALLON, June 9 (MPS) — The kingdom will not sign, KOLAROVA said on Monday.',
        'Sallon has made its position clear, the minister added.',
      ].join('\n'),
    );
    const extraction = extractStoryStrict(story, {
      knownActors: [
        { name: 'Jana Kolářová', kind: 'PERSON', aliases: ['Kolářová'] },
        { name: 'Kingdom of Meridia', kind: 'STATE', aliases: ['Meridia', 'Sallon'] },
      ],
    });
    expect(extraction.actors.map((a) => a.name)).toEqual(
      expect.arrayContaining(['Jana Kolářová', 'Kingdom of Meridia']),
    );
    expect(extraction.statements[0]).toMatchObject({
      speaker: 'Jana Kolářová',
      text: 'The kingdom will not sign',
    });
    expect(extraction.mentions.find((m) => m.text === 'KOLAROVA')?.target).toEqual({
      kind: 'actor',
      name: 'Jana Kolářová',
    });
  });
});

describe('robustness', () => {
  const storyText = fc
    .array(
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 120 }),
        fc.string({
          unit: fc.constantFrom(
            '"',
            '“',
            '”',
            "'",
            '’',
            ' ',
            ',',
            '.',
            'said',
            'that',
            'He',
            'Article 4',
            'of the',
            'Ministry',
            'Varga',
            'According to',
            '—',
          ),
          maxLength: 60,
        }),
      ),
      { minLength: 3, maxLength: 8 },
    )
    .map((lines) => lines.map((line) => line.replace(/[\r\n]/g, ' ')).join('\n'));

  it('never throws on random stories, and spans stay true', () => {
    fc.assert(
      fc.property(storyText, (text) => {
        const parsed = parseStory(text);
        if (!parsed.ok) return;
        const extraction = extractStoryStrict(parsed.story);
        expectSpansHold(parsed.story, extraction);
      }),
      { numRuns: 300 },
    );
  });

  it('copes with a very long line', () => {
    const sentence =
      'Lena Varga said that "the Republic of Arvand, Article 4 and the UN Charter" would hold, the minister added. ';
    const story = parse(`Headline\nStandfirst\nGENEVA, March 3 (ARNA) — ${sentence.repeat(800)}`);
    const extraction = extractStory(story);
    expectSpansHold(story, extraction);
    expect(extraction.statements.length).toBeGreaterThan(100);
  });

  it('returns an empty extraction rather than throwing on a malformed story object', () => {
    const broken = {
      headline: 'x',
      standfirst: 'y',
      dateline: null,
      paragraphs: [undefined],
    } as unknown as ParsedStory;
    expect(extractStory(broken)).toEqual({ actors: [], treaties: [], statements: [], mentions: [] });
  });
});
