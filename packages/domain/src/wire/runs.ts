// Runs of capitalised words ("Meridian Ministry of Foreign Affairs", "Deputy Foreign Minister Andrey
// Rudenko"): the raw material for organisation and person names.
import { type Blocked, blockedLookup } from './actor-record.ts';
import { inQuote, type StoryContext } from './context.ts';
import { isCapitalized, isPossessive, type Token, tokenize } from './text.ts';

export type Run = { paragraph: number; tokens: Token[]; start: number; end: number; text: string };

export type RunOptions = {
  /** Lower-case words allowed inside a run when a capitalised word follows ("of", "for"). */
  connectors: ReadonlySet<string>;
  blocked: readonly Blocked[];
  /** Ends the run after this possessive token ("Kelmar’s | Trade Minister …"). */
  breakAfter?: (token: Token) => boolean;
};

/** A capitalised word, or an Arabic family name with its article ("al-Rashid", "bin-Salman"). */
function isNameWord(word: string): boolean {
  return isCapitalized(word) || /^(?:al|el|ad|ash|as|at|ben|bin|ibn|abu)-\p{Lu}/u.test(word);
}

export function capitalizedRuns(context: StoryContext, paragraph: number, options: RunOptions): Run[] {
  const text = context.paragraphs[paragraph] ?? '';
  const runs: Run[] = [];
  const isBlocked = blockedLookup(options.blocked);
  let current: Token[] = [];
  const flush = () => {
    while (current.length > 0 && !isNameWord(current[current.length - 1]?.text ?? '')) current.pop();
    const first = current[0];
    const last = current[current.length - 1];
    if (first && last) {
      runs.push({
        paragraph,
        tokens: current,
        start: first.start,
        end: last.end,
        text: text.slice(first.start, last.end),
      });
    }
    current = [];
  };
  for (const token of tokenize(text, context.bodyStarts[paragraph] ?? 0)) {
    const previous = current[current.length - 1];
    // "Halvar Nurses' Union": a plural possessive's apostrophe does not end the name.
    const gap = text.slice(previous?.end ?? 0, token.start);
    const joined =
      previous !== undefined &&
      (/^[ \t]+$/.test(gap) || (/s$/.test(previous.text) && /^['’][ \t]+$/.test(gap)));
    if (!joined) flush();
    if (isBlocked(paragraph, token.start, token.end) || inQuote(context, paragraph, token.start)) {
      flush();
      continue;
    }
    if (isCapitalized(token.text) || (current.length > 0 && isNameWord(token.text))) {
      current.push(token);
      if (isPossessive(token.text) && options.breakAfter?.(token)) flush();
    } else if (current.length > 0 && options.connectors.has(token.text)) {
      current.push(token);
    } else {
      flush();
    }
  }
  flush();
  return runs;
}
