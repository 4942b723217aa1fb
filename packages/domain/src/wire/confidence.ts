// Calibrated attribution confidence: what share of statements given this confidence have the right
// speaker. The rules score how they found the speaker (ruleScore in speakers.ts and statements.ts:
// a name or an organisation in the attribution itself ≈ 0.86–0.95; a description, a capital, a
// document or a pronoun ≈ 0.6–0.8; a fallback guess below that); this table maps those scores to the
// share that was right on the held-out test part of the corpus (fixtures/corpus/test, issue 19), so the
// editors' review queue can put the doubtful ones first. Re-measure with `npm run eval:extraction`
// (the reliability table) after changing a rule.

/** A band of rule scores and the confidence its statements earn. */
type Band = { atLeast: number; confidence: number; measured: string };

// Measured on test/ (48 stories, 226 statements found; 33 of them with no speaker named, 32 of those
// with the right description) after the rules from the 97-131 development batches:
const BANDS: readonly Band[] = [
  { atLeast: 0.85, confidence: 0.95, measured: '146 of 147 right (99%)' },
  { atLeast: 0.6, confidence: 0.8, measured: '40 of 41 right (98%)' },
  { atLeast: 0.45, confidence: 0.65, measured: '4 of 5; fallback guesses, kept below 0.7' },
  { atLeast: 0, confidence: 0.5, measured: 'none seen' },
];

/** Statements whose speaker the story does not name: an editor should look at them first. */
export const UNNAMED_SPEAKER_CONFIDENCE = 0.3;

/** The calibrated confidence of an attribution the rules scored `ruleScore` (0..1). */
export function calibratedConfidence(ruleScore: number): number {
  return (BANDS.find((band) => ruleScore >= band.atLeast) ?? BANDS[BANDS.length - 1])?.confidence ?? 0.5;
}
