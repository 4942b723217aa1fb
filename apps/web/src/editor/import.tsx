// Importing a wire story: paste it (or open a .txt file), see the dry run — what would be created,
// each statement highlighted where the rules found it — then import it as a draft and review it.
import { ImportStoryDocument } from '@chancery/sdk/documents/ImportStory';
import type { ImportStoryMutation } from '@chancery/sdk/graphql';
import { type ChangeEvent, type FormEvent, useState } from 'react';
import { client } from '../api.ts';
import { KindBadge, PageHeading } from '../components.tsx';
import { count } from '../format.ts';
import { navigate, useDocumentTitle } from '../navigation.ts';
import { paths } from '../routes.ts';
import { write, writeProblem } from './writes.ts';

type Payload = Extract<ImportStoryMutation['importStory'], { __typename: 'ImportStoryPayload' }>;
type Found = Payload['statements'][number];

export function ImportPage() {
  useDocumentTitle('Import a story');
  const [text, setText] = useState('');
  const [publishedAt, setPublishedAt] = useState('');
  const [dryRun, setDryRun] = useState<{ text: string; payload: Payload } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(store: boolean): Promise<Payload | null> {
    setBusy(true);
    setProblem(null);
    try {
      const call = () =>
        client.request(ImportStoryDocument, { text, publishedAt: publishedAt || null, dryRun: !store });
      // A dry run changes nothing; an import adds a draft and its statements to what pages show.
      const { importStory } = store ? await write(call) : await call();
      if (importStory.__typename === 'ImportStoryPayload') return importStory;
      setProblem(importStory.message);
    } catch (error) {
      setProblem(writeProblem(error));
    } finally {
      setBusy(false);
    }
    return null;
  }

  async function preview(event: FormEvent) {
    event.preventDefault();
    const payload = await run(false);
    setDryRun(payload ? { text, payload } : null);
  }

  async function importDraft() {
    const payload = await run(true);
    if (!payload?.article) return;
    navigate(paths.editorReview({ articleId: payload.article.id }));
  }

  async function openFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) setText(await file.text());
  }

  const current = dryRun && dryRun.text === text ? dryRun.payload : null;
  return (
    <>
      <PageHeading title="Import a story" kicker="Editorial workspace">
        Import a story
      </PageHeading>
      <form className="import-form" onSubmit={preview}>
        <label htmlFor="import-text">Story text</label>
        <p id="import-help" className="muted">
          A headline, a standfirst, then one paragraph a line, the first opening with its dateline (
          <code>MOSCOW, October 24. /TASS/.</code>).
        </p>
        <textarea
          id="import-text"
          aria-describedby="import-help"
          rows={12}
          value={text}
          onChange={(event) => setText(event.target.value)}
          spellCheck={false}
        />
        <div className="review-filters">
          <div>
            <label htmlFor="import-file">Or open a .txt file</label>
            <input id="import-file" type="file" accept=".txt,text/plain" onChange={openFile} />
          </div>
          <div>
            <label htmlFor="import-date">Published on (optional)</label>
            <input
              id="import-date"
              type="date"
              value={publishedAt}
              onChange={(event) => setPublishedAt(event.target.value)}
            />
          </div>
        </div>
        <div className="review-actions">
          <button type="submit" className="button" disabled={busy || text.trim() === ''}>
            Dry run
          </button>
          <button
            type="button"
            className="button"
            disabled={busy || current === null || current.outcome === 'UNCHANGED'}
            onClick={importDraft}
          >
            Import as draft
          </button>
        </div>
      </form>
      {problem ? (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      ) : null}
      {current ? <DryRun payload={current} text={text} /> : null}
    </>
  );
}

function DryRun({ payload, text }: { payload: Payload; text: string }) {
  const created = (list: { created: boolean }[]) => list.filter((item) => item.created).length;
  // The story's paragraphs as the importer reads them: the lines after the headline and standfirst.
  const paragraphs = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(2)
    .map((line, number) => ({ number, line }));
  return (
    <section className="dry-run" aria-labelledby="dry-run-heading">
      <h2 id="dry-run-heading">Dry run: “{payload.preview?.headline ?? payload.article?.headline}”</h2>
      <p>
        {payload.outcome === 'UNCHANGED'
          ? 'This story is stored already, unchanged: importing it again would change nothing.'
          : `Would be ${payload.outcome === 'CREATED' ? 'created' : 'updated'} as a draft: ${count(payload.statements.length, 'statement')}, ${count(payload.actors.length, 'actor')} (${created(payload.actors)} new), ${count(payload.treaties.length, 'treaty', 'treaties')} (${created(payload.treaties)} new).`}
      </p>
      {payload.warnings.length > 0 ? (
        <ul className="notice">
          {payload.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
      <div className="dry-run-text">
        {paragraphs.map((paragraph) => (
          <Paragraph
            key={paragraph.number}
            text={paragraph.line}
            found={payload.statements.filter((s) => s.paragraph === paragraph.number)}
          />
        ))}
      </div>
      <h3>Statements found</h3>
      <ol className="dry-run-statements">
        {payload.statements.map((statement) => (
          <li key={`${statement.paragraph}:${statement.start}`}>
            <strong>{statement.speaker ?? 'Unknown speaker'}</strong> <KindBadge kind={statement.kind} />{' '}
            <span className="muted">{Math.round(statement.confidence * 100)}% sure</span>
            <br />“{statement.text}”
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A paragraph with the statements found in it marked, where their span reads exactly their words. */
function Paragraph({ text, found }: { text: string; found: Found[] }) {
  const marks = found
    .filter((s) => text.slice(s.start, s.end) === s.text)
    .sort((a, b) => a.start - b.start)
    .filter((s, i, list) => i === 0 || s.start >= list[i - 1]!.end);
  const pieces = [];
  let at = 0;
  for (const mark of marks) {
    pieces.push(text.slice(at, mark.start));
    pieces.push(
      <mark key={mark.start} className={`statement statement-${mark.kind.toLowerCase()}`}>
        {mark.text}
      </mark>,
    );
    at = mark.end;
  }
  pieces.push(text.slice(at));
  return <p className="paragraph">{pieces}</p>;
}
