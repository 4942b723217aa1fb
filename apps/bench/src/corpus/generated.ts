// The corpus the issue asks for: stories from `chancery generate` (the same generator, seed
// "bench"), stored by the same importer `chancery import` runs, story by story, each in its own
// transaction. In process rather than through the CLI: the bench already holds the PGlite data
// directory. Deterministic: the same scale gives the same rows, so the same page-50 cursor.
//
// Shape at scale 1: 5 600 stories, 51 267 statements, about a world of 24 states and 120 people
// who speak for them (the busiest 1 130 times: 56 pages); the 21 treaties the stories name, with
// the ~30 provisions each that they cite. Every 33rd story stays a draft, so visibility rules
// filter real rows.
import { StoryImporter } from '@chancery/db/import/story';
import { generateStories } from '@chancery/domain/generate/stories';
import { existingCorpus, writeMarker } from './marker.ts';
import { type CorpusSource, summarize } from './source.ts';

const STORIES_PER_SCALE = 5_600;
const STATEMENTS_PER_SCALE = 50_000;
const SEED = 'bench';
const DRAFT_EVERY = 33;

export const generatedCorpus: CorpusSource = {
  name: 'chancery generate',
  key: 'generated',
  async ensure(database, { scale, log }) {
    const stories = Math.round(STORIES_PER_SCALE * scale);
    const source = `chancery generate --seed ${SEED} --stories ${stories}, imported`;
    const existing = await existingCorpus(database, source, scale, log);
    if (existing) return existing;

    const started = performance.now();
    const importer = new StoryImporter(database.db, { tokenName: 'bench' });
    let done = 0;
    let failed = 0;
    for (const story of generateStories({ stories, seed: SEED })) {
      const result = await importer
        .importStory({
          source: story.fileName,
          text: story.text,
          fileStem: story.fileName.replace(/\.txt$/, ''),
          published: { year: 2024 },
          status: done % DRAFT_EVERY === DRAFT_EVERY - 1 ? 'DRAFT' : 'PUBLISHED',
        })
        .catch((error: Error) => {
          failed++;
          log(`corpus: ${story.fileName}: ${error.message}`);
          return null;
        });
      if (result && result.outcome !== 'created') log(`corpus: ${story.fileName} was ${result.outcome}`);
      if (++done % 500 === 0) {
        const seconds = (performance.now() - started) / 1000;
        log(`corpus: imported ${done}/${stories} stories (${(done / seconds).toFixed(1)} stories/s)`);
      }
    }
    if (failed > 0) throw new Error(`corpus: ${failed} generated stories failed to import (above).`);

    const summary = await summarize(database, source, scale);
    const { counts } = summary;
    if (counts.statements < STATEMENTS_PER_SCALE * scale)
      throw new Error(
        `corpus: ${stories} stories gave ${counts.statements} statements, fewer than ${STATEMENTS_PER_SCALE * scale}; raise STORIES_PER_SCALE.`,
      );
    await writeMarker(database, summary);
    log(
      `corpus: imported ${stories} stories (${counts.statements} statements) in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    return summary;
  },
};
