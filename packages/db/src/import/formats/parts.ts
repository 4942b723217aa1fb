// A story given in parts (headline, standfirst, paragraphs) rather than as a text file: the same
// checks as a story file gets, so a feed item and the same story as text are stored alike.
import { parseDateline } from '@chancery/domain/wire/dateline';
import { MAX_LINE_LENGTH, MAX_STORY_BYTES } from '@chancery/domain/wire/parse';
import type { ParsedStory } from '@chancery/domain/wire/types';
import { ImportError } from '../errors.ts';
import { MAX_HEADLINE_LENGTH, unbalancedQuote } from '../story-text.ts';

export type StoryParts = { headline: string; standfirst: string; paragraphs: string[] };

// C0 controls other than tab (and DEL): a story's text never holds them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is looked for
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export function readStoryParts(parts: StoryParts): ParsedStory {
  const headline = parts.headline.trim();
  const standfirst = parts.standfirst.trim();
  const paragraphs = parts.paragraphs.filter((p) => p.trim() !== '');
  if (headline === '') throw new ImportError('the item has no headline (title)');
  if (paragraphs.length === 0)
    throw new ImportError('the item has no text: no paragraphs in its content or summary');
  if (headline.length > MAX_HEADLINE_LENGTH) {
    throw new ImportError(
      `the headline is ${headline.length} characters long; at most ${MAX_HEADLINE_LENGTH}`,
    );
  }
  if (parseDateline(headline)) {
    throw new ImportError(
      'the headline opens with a dateline; a headline is a title, the dateline opens the first paragraph',
    );
  }
  const size = [headline, standfirst, ...paragraphs].reduce((n, p) => n + Buffer.byteLength(p) + 1, 0);
  if (size > MAX_STORY_BYTES) {
    throw new ImportError(
      `the item's text is ${(size / (1024 * 1024)).toFixed(1)} MB; a story is at most ${MAX_STORY_BYTES / (1024 * 1024)} MB`,
    );
  }
  for (const [index, line] of [headline, standfirst, ...paragraphs].entries()) {
    const where = index === 0 ? 'the headline' : index === 1 ? 'the standfirst' : `paragraph ${index - 2}`;
    if (line.length > MAX_LINE_LENGTH)
      throw new ImportError(`${where} is ${line.length} characters long; the limit is ${MAX_LINE_LENGTH}`);
    if (CONTROL.test(line) || /[\r\n]/.test(line))
      throw new ImportError(`${where} contains control characters or line breaks`);
  }
  const inTitle = unbalancedQuote([headline, standfirst], { continues: false });
  if (inTitle) {
    throw new ImportError(
      `${inTitle.index === 0 ? 'the headline' : 'the standfirst'} ${inTitle.message} (column ${inTitle.column + 1})`,
    );
  }
  const inBody = unbalancedQuote(paragraphs, { continues: true });
  if (inBody) {
    throw new ImportError(
      `unbalanced quotes: the quote mark at column ${inBody.column + 1} of paragraph ${inBody.index} ${inBody.message}`,
    );
  }
  return { headline, standfirst, dateline: parseDateline(paragraphs[0] ?? ''), paragraphs };
}
