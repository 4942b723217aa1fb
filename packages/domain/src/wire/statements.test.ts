// Statement rules on small invented stories, one convention of fixtures/corpus/README.md at a time.
import { describe, expect, it } from 'vitest';
import { extractStoryStrict } from './extract.ts';
import { parseStory } from './parse.ts';
import type { Extraction } from './types.ts';

const INTRO = [
  'Headline',
  'Standfirst',
  'GENEVA, March 3 (ARNA) — Foreign Minister of the Republic of Arvand Lena Varga met her counterpart from the Kingdom of Meridia, Aurelio Santane, on Tuesday.',
];

function extract(...paragraphs: string[]): Extraction {
  const result = parseStory([...INTRO, ...paragraphs].join('\n'));
  if (!result.ok) throw new Error(result.error.message);
  const extraction = extractStoryStrict(result.story);
  for (const s of extraction.statements)
    expect(result.story.paragraphs[s.paragraph]?.slice(s.start, s.end)).toBe(s.text);
  return extraction;
}

/** [paragraph (after the intro), kind, speaker, text] for each statement. */
function statements(...paragraphs: string[]): [number, string, string | null, string][] {
  return extract(...paragraphs).statements.map((s) => [s.paragraph - 1, s.kind, s.speaker, s.text]);
}

describe('direct quotes', () => {
  it('splits a quote around its attribution and keeps a final full stop', () => {
    expect(statements('"We are ready," Varga said. "The maps are on the table."')).toEqual([
      [0, 'DIRECT', 'Lena Varga', 'We are ready'],
      [0, 'DIRECT', 'Lena Varga', 'The maps are on the table.'],
    ]);
  });

  it('reads curly quotes, nested single quotes and a question', () => {
    expect(
      statements('“We call it ‘the orchard’,” Santane said.', '“Who benefits from this?” Varga asked.'),
    ).toEqual([
      [0, 'DIRECT', 'Aurelio Santane', 'We call it ‘the orchard’'],
      [1, 'DIRECT', 'Lena Varga', 'Who benefits from this?'],
    ]);
  });

  it('gives one statement per paragraph of a multi-paragraph quote', () => {
    expect(
      statements(
        'Santane said: “For eleven years we argued about maps.',
        '“Today we agreed to argue about solutions.',
        '“That is progress.”',
        'The meeting ended at noon.',
      ),
    ).toEqual([
      [0, 'DIRECT', 'Aurelio Santane', 'For eleven years we argued about maps.'],
      [1, 'DIRECT', 'Aurelio Santane', 'Today we agreed to argue about solutions.'],
      [2, 'DIRECT', 'Aurelio Santane', 'That is progress.'],
    ]);
  });

  it('reads inverted attribution and an attribution before the quote', () => {
    expect(statements('"Nothing has changed," said Santane.', 'Varga said, "We will see."')).toEqual([
      [0, 'DIRECT', 'Aurelio Santane', 'Nothing has changed'],
      [1, 'DIRECT', 'Lena Varga', 'We will see.'],
    ]);
  });

  it('treats a whole reported clause in quotes as direct speech', () => {
    expect(statements('Varga said only that "the talks will continue".')).toEqual([
      [0, 'DIRECT', 'Lena Varga', 'the talks will continue'],
    ]);
  });

  it('keeps a report nested inside a quote within that quote', () => {
    expect(statements('"The president told me that we would win," Varga said.')).toEqual([
      [0, 'DIRECT', 'Lena Varga', 'The president told me that we would win'],
    ]);
  });
});

describe('quoted text that is not a statement', () => {
  it('skips scare quotes, labels, treaty titles and treaty wording', () => {
    expect(
      statements(
        'Farmers cross the so-called "Ostek line" every day.',
        'The strip is what local residents call "the orchard".',
        'Both sides want to revive the "Treaty on the Demarcation of the Kessel Valley".',
        'Article 9 lets either side close the border "in the event of a threat to public security", a clause Meridia resisted.',
      ),
    ).toEqual([]);
  });

  it('skips positions without a reported clause', () => {
    expect(
      statements(
        'Santane declined to comment.',
        'The Meridian embassy did not respond to a request for comment.',
      ),
    ).toEqual([]);
  });
});

describe('reported speech', () => {
  it('reads the clause after the verb, without "that" and without the final full stop', () => {
    expect(statements('Varga told reporters on Tuesday that the two sides had agreed on Article 4.')).toEqual(
      [[0, 'INDIRECT', 'Lena Varga', 'the two sides had agreed on Article 4']],
    );
  });

  it('keeps partial quotes inside the reported clause', () => {
    expect(
      statements('Santane said the meeting had been "constructive" and that experts would meet in April.'),
    ).toEqual([
      [
        0,
        'INDIRECT',
        'Aurelio Santane',
        'the meeting had been "constructive" and that experts would meet in April',
      ],
    ]);
  });

  it('reads the clause before ", X said"', () => {
    expect(statements('The border will stay open, Santane said on Wednesday, citing the harvest.')).toEqual([
      [0, 'INDIRECT', 'Aurelio Santane', 'The border will stay open'],
    ]);
  });

  it('reads "according to" before and after the clause', () => {
    expect(
      statements(
        'According to Varga, the experts will meet in April.',
        'Talks will resume in May, according to Santane.',
      ),
    ).toEqual([
      [0, 'INDIRECT', 'Lena Varga', 'the experts will meet in April'],
      [1, 'INDIRECT', 'Aurelio Santane', 'Talks will resume in May'],
    ]);
  });

  it('splits coordinated and participle reporting verbs', () => {
    expect(
      statements(
        'Varga said the talks had gone well and warned that a deal was "not yet close".',
        '"We will be patient," Santane said, adding that his team would stay in Geneva.',
      ),
    ).toEqual([
      [0, 'INDIRECT', 'Lena Varga', 'the talks had gone well'],
      [0, 'INDIRECT', 'Lena Varga', 'a deal was "not yet close"'],
      [1, 'DIRECT', 'Aurelio Santane', 'We will be patient'],
      [1, 'INDIRECT', 'Aurelio Santane', 'his team would stay in Geneva'],
    ]);
  });

  it('ends a reported clause where another speaker starts', () => {
    expect(
      statements('Varga said the talks had gone well, while Santane insisted that nothing was agreed.'),
    ).toEqual([
      [0, 'INDIRECT', 'Lena Varga', 'the talks had gone well'],
      [0, 'INDIRECT', 'Aurelio Santane', 'nothing was agreed'],
    ]);
  });

  it('ends a statement made inside a relative clause at its comma', () => {
    expect(
      statements('Varga, who said last week that the talks were "stuck", told Santane the maps were ready.'),
    ).toEqual([
      [0, 'INDIRECT', 'Lena Varga', 'the talks were "stuck"'],
      [0, 'INDIRECT', 'Lena Varga', 'the maps were ready'],
    ]);
  });

  it('reads a quote that is only part of the clause as indirect speech', () => {
    expect(statements('Santane said "the orchard" was a myth.')).toEqual([
      [0, 'INDIRECT', 'Aurelio Santane', '"the orchard" was a myth'],
    ]);
  });

  it('ends a reported clause before an appositive remark', () => {
    expect(
      statements(
        'Santane said that Korvin would "not trade land for promises", a remark that angered Varga.',
      ),
    ).toEqual([[0, 'INDIRECT', 'Aurelio Santane', 'Korvin would "not trade land for promises"']]);
  });
});

describe('speakers', () => {
  it('resolves pronouns, titles and descriptions', () => {
    expect(
      statements(
        'Varga said the meeting had been useful.',
        '"We are not there yet," she added.',
        'The Meridian diplomat also said that his government wanted a deal.',
        'The Arvandi minister insisted that nothing had been signed.',
      ),
    ).toEqual([
      [0, 'INDIRECT', 'Lena Varga', 'the meeting had been useful'],
      [1, 'DIRECT', 'Lena Varga', 'We are not there yet'],
      [2, 'INDIRECT', 'Aurelio Santane', 'his government wanted a deal'],
      [3, 'INDIRECT', 'Lena Varga', 'nothing had been signed'],
    ]);
  });

  it('skips parentheticals between the speaker and the verb, and adjuncts before a colon', () => {
    expect(
      statements(
        'Santane, however, said he wanted a deal.',
        'Varga told reporters in Korvin: "We are ready."',
        'Santane was blunt. "Nobody will sign this."',
      ),
    ).toEqual([
      [0, 'INDIRECT', 'Aurelio Santane', 'he wanted a deal'],
      [1, 'DIRECT', 'Lena Varga', 'We are ready.'],
      [2, 'DIRECT', 'Aurelio Santane', 'Nobody will sign this.'],
    ]);
  });

  it('resolves "the kingdom" to the state and a described company to its name', () => {
    expect(
      statements(
        'The kingdom insists that the border is closed.',
        'The Meridian operator, Merigaz, said in a statement that supplies were normal.',
      ),
    ).toEqual([
      [0, 'INDIRECT', 'Kingdom of Meridia', 'the border is closed'],
      [1, 'INDIRECT', 'Merigaz', 'supplies were normal'],
    ]);
  });

  it('rates a name next to the cue above a pronoun or a description', () => {
    const { statements: found } = extract(
      'Varga said the meeting had been useful.',
      '"It was," she added.',
      'The Meridian diplomat said it was not.',
    );
    const [named, pronoun, described] = found.map((s) => s.confidence);
    expect(named).toBeGreaterThan(pronoun ?? 1);
    expect(named).toBeGreaterThan(described ?? 1);
  });

  it('gives the words of a ministry, or of a document it issued, to the ministry', () => {
    expect(
      statements(
        'The Meridian Ministry of Foreign Affairs said in a statement that the talks were "businesslike".',
        'The statement added that experts would meet in Sallon.',
        'An internal memo from the Meridian Ministry of Foreign Affairs describes the plan. "Both sides shall act in good faith," the memo says.',
        '"We expect results," the ministry said.',
      ),
    ).toEqual([
      [0, 'INDIRECT', 'Meridian Ministry of Foreign Affairs', 'the talks were "businesslike"'],
      [1, 'INDIRECT', 'Meridian Ministry of Foreign Affairs', 'experts would meet in Sallon'],
      [2, 'DIRECT', 'Meridian Ministry of Foreign Affairs', 'Both sides shall act in good faith'],
      [3, 'DIRECT', 'Meridian Ministry of Foreign Affairs', 'We expect results'],
    ]);
  });

  it('gives claims made through a capital to the state', () => {
    expect(statements('Moscow says the plan is unworkable.')).toEqual([
      [0, 'INDIRECT', 'Russia', 'the plan is unworkable'],
    ]);
  });

  it('drops words credited to a document nobody is said to have issued', () => {
    expect(
      statements(
        'According to the document, the sides will consult each other.',
        'The sides seek stability, the accompanying memo says.',
      ),
    ).toEqual([]);
  });

  it('leaves the speaker null rather than guess', () => {
    const [statement] = extract('A senior official said the talks had stalled.').statements;
    expect(statement).toMatchObject({ speaker: null, kind: 'INDIRECT', text: 'the talks had stalled' });
    expect(statement?.confidence).toBeLessThan(0.5);
  });
});

describe('constructions from the 97-127 development batches', () => {
  it('keeps two speakers joined by ", while" apart, the second named before or after the role', () => {
    expect(
      statements(
        'Varga said the maps were ready, while Paul Girard, chief economist at Orna Capital Partners, said the talks would drag on.',
        'Santane said the gap was wide, while his Arvandi counterpart, Mira Holm, said the talks had been useful.',
      ),
    ).toEqual([
      [0, 'INDIRECT', 'Lena Varga', 'the maps were ready'],
      [0, 'INDIRECT', 'Paul Girard', 'the talks would drag on'],
      [1, 'INDIRECT', 'Aurelio Santane', 'the gap was wide'],
      [1, 'INDIRECT', 'Mira Holm', 'the talks had been useful'],
    ]);
  });

  it('reads ", as X noted" and "CLAUSE, said NAME, ROLE" like "CLAUSE, X said"', () => {
    expect(
      statements(
        'The border will stay open during the talks, as Varga noted when she arrived.',
        'The maps could be signed next month, said Mira Holm, Meridia’s deputy foreign minister.',
      ),
    ).toEqual([
      [0, 'INDIRECT', 'Lena Varga', 'The border will stay open during the talks'],
      [1, 'INDIRECT', 'Mira Holm', 'The maps could be signed next month'],
    ]);
  });

  it('gives a sentence-final attribution the whole clause, with the report inside it', () => {
    expect(
      statements(
        'Meridia insists that the talks must continue, Deputy Foreign Minister Mira Holm told reporters.',
      ),
    ).toEqual([[0, 'INDIRECT', 'Mira Holm', 'Meridia insists that the talks must continue']]);
  });

  it('names a described source from the apposition that follows, and keeps "Varga\'s aide" unnamed', () => {
    expect(
      statements(
        'The talks will resume on Monday, her lawyer told reporters.',
        '"Nothing has been signed," the lawyer, Hugo Besson, said.',
        "Varga's aide said the minister would stay another day.",
      ),
    ).toEqual([
      [0, 'INDIRECT', 'Hugo Besson', 'The talks will resume on Monday'],
      [1, 'DIRECT', 'Hugo Besson', 'Nothing has been signed'],
      [2, 'INDIRECT', null, 'the minister would stay another day'],
    ]);
  });

  it('treats government agencies as actors and "the airline", "Ostmark" as the company', () => {
    expect(
      statements(
        'Patrols found breaches of the quota, the Arvandi Fisheries Agency said.',
        'Skyline, the national airline of the Kingdom of Meridia, cancelled 40 flights, the airline said.',
        'Ostmark Motor Corporation is recalling 9,000 cars. No crashes have been reported, Ostmark said.',
      ),
    ).toEqual([
      [0, 'INDIRECT', 'Arvandi Fisheries Agency', 'Patrols found breaches of the quota'],
      [
        1,
        'INDIRECT',
        'Skyline',
        'Skyline, the national airline of the Kingdom of Meridia, cancelled 40 flights',
      ],
      [2, 'INDIRECT', 'Ostmark Motor Corporation', 'No crashes have been reported'],
    ]);
  });

  it('reads "He Yadong" as a name and ends a clause before ", a day after …"', () => {
    expect(
      statements(
        'Ministry spokesperson He Yadong said the measures were lawful, a day after Varga arrived.',
        'He Yadong added that trade would not suffer.',
      ),
    ).toEqual([
      [0, 'INDIRECT', 'He Yadong', 'the measures were lawful'],
      [1, 'INDIRECT', 'He Yadong', 'trade would not suffer'],
    ]);
  });

  it('keeps an indefinite ministry official and a lower-case coast guard as described sources', () => {
    const found = extract(
      'A senior Defence Ministry official said the Republic of Arvand had been warned.',
      'The Meridian coast guard said two boats had been stopped.',
      'The Meridian authorities said the boats had ignored warnings.',
    ).statements.map((s) => [s.speaker, s.speakerRole, s.text]);
    expect(found).toEqual([
      [null, 'senior Defence Ministry official', 'the Republic of Arvand had been warned'],
      [null, 'Meridian coast guard', 'two boats had been stopped'],
      ['Kingdom of Meridia', null, 'the boats had ignored warnings'],
    ]);
  });

  it('reads past a short parenthetical after the subject of a reported clause', () => {
    expect(statements('Varga said the bridge, due to open in 2028, would carry 40,000 cars a day.')).toEqual([
      [0, 'INDIRECT', 'Lena Varga', 'the bridge, due to open in 2028, would carry 40,000 cars a day'],
    ]);
  });
});
