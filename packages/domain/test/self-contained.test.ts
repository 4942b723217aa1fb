// The repository stands on its own: a user's clone has nothing beside it, so no tracked file may
// read a folder outside it (the labelled corpus lives in fixtures/corpus). Markdown may still tell
// a reader where the corpus came from. The patterns are spelt so this file does not match them.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const OUTSIDE_PATHS = ['\\.\\./shared', 'shared[/]corpus', '/work[/]'];

/** `file:line: text` for every tracked non-Markdown file of the repository naming an outside path. */
function outsidePathMentions(): string[] {
  const cwd = fileURLToPath(new URL('.', import.meta.url));
  const patterns = OUTSIDE_PATHS.flatMap((pattern) => ['-e', pattern]);
  try {
    const out = execFileSync(
      'git',
      ['grep', '-n', '-I', '--full-name', '-E', ...patterns, '--', ':/', ':/!*.md'],
      { cwd, encoding: 'utf8' },
    );
    return out.split('\n').filter(Boolean);
  } catch (error) {
    // git grep exits 1 when nothing matches; anything else (no git, not a checkout) must fail loudly.
    if ((error as { status?: number }).status === 1) return [];
    throw error;
  }
}

it('has no tracked file that reads a path outside the repository', () => {
  expect(outsidePathMentions()).toEqual([]);
});
