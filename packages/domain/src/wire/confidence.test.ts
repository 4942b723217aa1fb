// Calibrated confidence: higher rule scores never earn less, and on the held-out test part the
// statements given ≥ 0.9 are at least 95% right and those given ≥ 0.7 at least 85% (issue 19).
import { describe, expect, it } from 'vitest';
import { calibratedConfidence, UNNAMED_SPEAKER_CONFIDENCE } from './confidence.ts';
import { extractStory } from './extract.ts';
import { parseStory } from './parse.ts';
import { scoreStory } from './score.ts';
import { testStories } from './test-corpus.ts';

describe('calibrated confidence', () => {
  it('never falls as the rule score rises, and stays within 0..1', () => {
    let previous = 0;
    for (let score = 0; score <= 1.0001; score += 0.01) {
      const confidence = calibratedConfidence(score);
      expect(confidence).toBeGreaterThanOrEqual(previous);
      expect(confidence).toBeLessThanOrEqual(1);
      previous = confidence;
    }
    expect(UNNAMED_SPEAKER_CONFIDENCE).toBeLessThan(calibratedConfidence(0));
  });

  it('means what it says on the held-out test part', () => {
    const judged = testStories().flatMap(({ text, gold }) => {
      const parsed = parseStory(text);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return scoreStory(parsed.story, extractStory(parsed.story), gold).judged;
    });
    const shareRight = (min: number) => {
      const given = judged.filter((j) => j.confidence >= min);
      return given.filter((j) => j.correct).length / given.length;
    };
    expect(shareRight(0.9)).toBeGreaterThanOrEqual(0.95);
    expect(shareRight(0.7)).toBeGreaterThanOrEqual(0.85);
  });
});
