// The review queue: statements the importer's rules attributed and nobody has reviewed, least
// confident first. Keyboard first: j/k move, a accepts, e edits, d deletes (u undoes it). An
// accepted or edited statement becomes MANUAL (reviewed) and leaves the queue. Every write names
// the version it was read at; if someone changed it since, the editor is told and can reload.
import { ArticlesDocument } from '@chancery/sdk/documents/Articles';
import { CreateActorDocument } from '@chancery/sdk/documents/CreateActor';
import { DeleteStatementDocument } from '@chancery/sdk/documents/DeleteStatement';
import { RestoreDocument } from '@chancery/sdk/documents/Restore';
import { ReviewQueueDocument } from '@chancery/sdk/documents/ReviewQueue';
import { StatementDocument } from '@chancery/sdk/documents/Statement';
import { UpdateStatementDocument } from '@chancery/sdk/documents/UpdateStatement';
import type { ReviewStatementFragment } from '@chancery/sdk/graphql';
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { client } from '../api.ts';
import { Empty, ErrorNotice, KindBadge, Loading, PageHeading } from '../components.tsx';
import { count, statementKindLabel } from '../format.ts';
import { navigate, useDocumentTitle } from '../navigation.ts';
import { queryClient, useOperation } from '../queries.ts';
import { paths, type ReviewFilter } from '../routes.ts';
import { ActorPicker, type PickedActor } from './actor-picker.tsx';
import { moveSpanEdge, type Span, spanFromSelection } from './span.ts';
import { type WriteOutcome, write, writeProblem } from './writes.ts';

type Row = ReviewStatementFragment;
type Notice = { kind: 'info' | 'conflict' | 'error'; text: string; undo?: { id: string; version: number } };

const CONFIDENCE_STEPS = [0.9, 0.75, 0.5, 0.25];

export function ReviewPage({ filter }: { filter: ReviewFilter }) {
  useDocumentTitle('Review statements');
  const state = useOperation(ReviewQueueDocument, {
    first: 100,
    filter: {
      attributionMethod: 'RULES',
      articleId: filter.articleId,
      speakerId: filter.speakerId,
      maxConfidence: filter.maxConfidence,
    },
  });
  const reload = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: [ReviewQueueDocument.name] }),
    [],
  );

  return (
    <>
      <PageHeading title="Review statements" kicker="Editorial workspace">
        Review statements
      </PageHeading>
      <ReviewFilters filter={filter} />
      <p className="muted keyboard-help">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>a</kbd> accept, <kbd>e</kbd> edit, <kbd>d</kbd>{' '}
        delete, <kbd>u</kbd> undo a delete.
      </p>
      {state.status === 'loading' ? <Loading label="Loading the statements to review…" /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} retry={state.retry} /> : null}
      {state.status === 'success' ? (
        <Queue
          key={JSON.stringify(filter)}
          statements={state.data.statements.nodes}
          total={state.data.statements.totalCount}
          reload={reload}
        />
      ) : null}
    </>
  );
}

function ReviewFilters({ filter }: { filter: ReviewFilter }) {
  const articles = useOperation(ArticlesDocument, { first: 100, orderBy: 'PUBLISHED_AT_DESC' });
  const [speaker, setSpeaker] = useState<PickedActor | null>(
    filter.speakerId ? { id: filter.speakerId, name: '' } : null,
  );
  return (
    <form
      className="review-filters"
      aria-label="Filter the queue"
      onSubmit={(event) => event.preventDefault()}
    >
      <div>
        <label htmlFor="review-story">Story</label>
        <select
          id="review-story"
          value={filter.articleId ?? ''}
          onChange={(event) =>
            navigate(paths.editorReview({ ...filter, articleId: event.target.value || null }))
          }
        >
          <option value="">All stories</option>
          {articles.status === 'success'
            ? articles.data.articles.nodes.map((article) => (
                <option key={article.id} value={article.id}>
                  {article.headline}
                  {article.status === 'PUBLISHED' ? '' : ` (${article.status.toLowerCase()})`}
                </option>
              ))
            : null}
        </select>
      </div>
      <ActorPicker
        label="Speaker"
        value={speaker}
        onChange={(actor) => {
          setSpeaker(actor);
          if (actor || filter.speakerId)
            navigate(paths.editorReview({ ...filter, speakerId: actor?.id ?? null }));
        }}
      />
      <div>
        <label htmlFor="review-confidence">Confidence</label>
        <select
          id="review-confidence"
          value={filter.maxConfidence == null ? '' : String(filter.maxConfidence)}
          onChange={(event) =>
            navigate(
              paths.editorReview({
                ...filter,
                maxConfidence: event.target.value === '' ? null : Number(event.target.value),
              }),
            )
          }
        >
          <option value="">Any</option>
          {CONFIDENCE_STEPS.map((step) => (
            <option key={step} value={step}>
              At most {Math.round(step * 100)}%
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}

/**
 * The queue as last read, less the statements this editor has dealt with since (they leave at
 * once; the queue read again after each write no longer has them either).
 */
function Queue({ statements, total, reload }: { statements: Row[]; total: number; reload: () => void }) {
  const [gone, setGone] = useState<ReadonlySet<string>>(() => new Set());
  const rows = useMemo(() => statements.filter((row) => !gone.has(row.id)), [statements, gone]);
  const [current, setCurrent] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const rowRefs = useRef(new Map<string, HTMLElement>());
  const done = gone.size;
  const selected = rows[Math.min(current, rows.length - 1)];

  // The current row has the focus, so the keys act on what the editor sees highlighted.
  useEffect(() => {
    if (editing || !selected) return;
    rowRefs.current.get(selected.id)?.focus();
  }, [selected, editing]);

  const leave = useCallback((id: string) => {
    setGone((ids) => new Set(ids).add(id));
    setEditing(null);
  }, []);
  const back = useCallback((id: string) => {
    setGone((ids) => new Set([...ids].filter((other) => other !== id)));
  }, []);

  // A conflict says what changed: the statement as it is now, against the row as it was read.
  const conflicted = useCallback((row: Row, message: string) => {
    setNotice({ kind: 'conflict', text: message });
    client.request(StatementDocument, { id: row.id }).then(
      ({ statement }) => {
        const changes = statement ? changesSince(row, statement) : 'it has been deleted';
        setNotice({ kind: 'conflict', text: `${message} Now: ${changes}.` });
      },
      () => undefined,
    );
  }, []);

  const run = useCallback(
    async (mutation: () => Promise<WriteOutcome>, after: (version: number) => void, row?: Row) => {
      setBusy(true);
      try {
        const outcome = await write(mutation);
        if (outcome.ok) after(outcome.version);
        else if (outcome.conflict && row) conflicted(row, outcome.message);
        else setNotice({ kind: outcome.conflict ? 'conflict' : 'error', text: outcome.message });
      } catch (error) {
        setNotice({ kind: 'error', text: writeProblem(error) });
      } finally {
        setBusy(false);
      }
    },
    [conflicted],
  );

  const accept = useCallback(
    (row: Row) =>
      run(
        () =>
          client
            .request(UpdateStatementDocument, {
              id: row.id,
              expectedVersion: row.version,
              input: { attribution: { method: 'MANUAL' } },
            })
            .then((r) => outcomeOf(r.updateStatement)),
        () => {
          leave(row.id);
          setNotice({ kind: 'info', text: `Accepted: “${shorten(row.text)}”.` });
        },
        row,
      ),
    [run, leave],
  );

  const remove = useCallback(
    (row: Row) =>
      run(
        () =>
          client
            .request(DeleteStatementDocument, { id: row.id, expectedVersion: row.version })
            .then((r) => outcomeOf(r.deleteStatement)),
        (version) => {
          leave(row.id);
          setNotice({
            kind: 'info',
            text: `Deleted: “${shorten(row.text)}”.`,
            undo: { id: row.id, version },
          });
        },
        row,
      ),
    [run, leave],
  );

  const undo = useCallback(
    (deleted: { id: string; version: number }) =>
      run(
        () =>
          client.request(RestoreDocument, { id: deleted.id, expectedVersion: deleted.version }).then((r) => {
            const result = r.restore;
            if (result.__typename === 'RestorePayload') return { ok: true, version: 0 } as const;
            return outcomeOf(result as Parameters<typeof outcomeOf>[0]);
          }),
        () => {
          back(deleted.id);
          setNotice({ kind: 'info', text: 'The statement is back in the queue.' });
        },
      ),
    [run, back],
  );

  useEffect(() => {
    function onKey(event: globalThis.KeyboardEvent) {
      if (event.ctrlKey || event.metaKey || event.altKey || busy || editing) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      const index = Math.min(current, rows.length - 1);
      const row = rows[index];
      switch (event.key) {
        case 'j':
          setCurrent(Math.min(index + 1, rows.length - 1));
          break;
        case 'k':
          setCurrent(Math.max(index - 1, 0));
          break;
        case 'a':
          if (row) void accept(row);
          break;
        case 'e':
          if (row) setEditing(row.id);
          break;
        case 'd':
          if (row) void remove(row);
          break;
        case 'u':
          if (notice?.undo) void undo(notice.undo);
          break;
        default:
          return;
      }
      event.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rows, current, busy, editing, accept, remove, undo, notice]);

  return (
    <>
      <div className="review-status" role="status" aria-live="polite">
        {notice ? (
          <p className={`notice notice-${notice.kind}`}>
            {notice.text}{' '}
            {notice.undo ? (
              <button type="button" className="button button-small" onClick={() => undo(notice.undo!)}>
                Undo
              </button>
            ) : null}
            {notice.kind === 'conflict' ? (
              <button type="button" className="button button-small" onClick={reload}>
                Reload
              </button>
            ) : null}
          </p>
        ) : null}
      </div>
      <p className="muted">
        {count(rows.length, 'statement')} to review
        {total > statements.length ? ` (the first ${statements.length} of ${total})` : ''}
        {done > 0 ? `; ${done} done` : ''}.
      </p>
      {rows.length === 0 ? (
        <Empty>Nothing to review here: every statement the rules attributed has been reviewed.</Empty>
      ) : (
        <ol className="review-queue" aria-label="Statements to review">
          {rows.map((row, index) => (
            <li key={row.id}>
              <article
                ref={(element) => {
                  if (element) rowRefs.current.set(row.id, element);
                  else rowRefs.current.delete(row.id);
                }}
                tabIndex={-1}
                className={`review-row${row === selected ? ' current' : ''}`}
                aria-current={row === selected ? 'true' : undefined}
                aria-labelledby={`review-${row.id}`}
                onFocus={() => setCurrent(index)}
              >
                <h2 id={`review-${row.id}`} className="review-speaker">
                  {row.speaker?.name ?? 'Unknown speaker'}
                  {row.speakerRole ? <span className="muted"> · {row.speakerRole}</span> : null}
                </h2>
                <p className="review-meta">
                  <KindBadge kind={row.kind} /> <Confidence value={row.attribution.confidence} />{' '}
                  <span className="muted">in “{row.source.article.headline}”</span>
                </p>
                {editing === row.id ? (
                  <EditStatement
                    row={row}
                    onCancel={() => setEditing(null)}
                    onSaved={() => {
                      leave(row.id);
                      setNotice({ kind: 'info', text: `Saved: “${shorten(row.text)}”.` });
                    }}
                    onConflict={(text) => conflicted(row, text)}
                  />
                ) : (
                  <>
                    <Paragraph text={row.source.paragraphText} span={row.source} kind={row.kind} />
                    <div className="review-actions">
                      <button type="button" className="button" disabled={busy} onClick={() => accept(row)}>
                        Accept
                      </button>
                      <button
                        type="button"
                        className="button button-quiet"
                        onClick={() => setEditing(row.id)}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="button button-quiet"
                        disabled={busy}
                        onClick={() => remove(row)}
                      >
                        Delete
                      </button>
                    </div>
                  </>
                )}
              </article>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function Confidence({ value }: { value: number }) {
  const percent = Math.round(value * 100);
  return <span className={`confidence${value < 0.5 ? ' confidence-low' : ''}`}>{percent}% sure</span>;
}

function Paragraph({
  text,
  span,
  kind,
}: {
  text: string;
  span: { start: number; end: number };
  kind: Row['kind'];
}) {
  return (
    <p className="paragraph review-paragraph">
      {text.slice(0, span.start)}
      <mark className={`statement statement-${kind.toLowerCase()}`}>{text.slice(span.start, span.end)}</mark>
      {text.slice(span.end)}
    </p>
  );
}

function EditStatement({
  row,
  onCancel,
  onSaved,
  onConflict,
}: {
  row: Row;
  onCancel: () => void;
  onSaved: () => void;
  onConflict: (text: string) => void;
}) {
  const [speaker, setSpeaker] = useState<PickedActor | null>(
    row.speaker ? { id: row.speaker.id, name: row.speaker.name } : null,
  );
  const [kind, setKind] = useState(row.kind);
  const [span, setSpan] = useState<Span>({ start: row.source.start, end: row.source.end, text: row.text });
  const [spanProblem, setSpanProblem] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const paragraphRef = useRef<HTMLParagraphElement>(null);
  const speakerRef = useRef<HTMLInputElement>(null);
  const paragraphText = row.source.paragraphText;

  useEffect(() => speakerRef.current?.focus(), []);

  // Selecting words of the paragraph moves the span; the invariant is checked as it changes.
  useEffect(() => {
    function onSelection() {
      const selection = document.getSelection();
      const element = paragraphRef.current;
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed || !element) return;
      const range = selection.getRangeAt(0);
      if (!element.contains(range.startContainer) || !element.contains(range.endContainer)) return;
      const offset = (node: Node, at: number) => {
        const before = document.createRange();
        before.setStart(element, 0);
        before.setEnd(node, at);
        return before.toString().length;
      };
      const result = spanFromSelection(paragraphText, row.source.paragraph, {
        start: offset(range.startContainer, range.startOffset),
        end: offset(range.endContainer, range.endOffset),
      });
      setSpanProblem(result.problem);
      if (result.span) setSpan(result.span);
    }
    document.addEventListener('selectionchange', onSelection);
    return () => document.removeEventListener('selectionchange', onSelection);
  }, [paragraphText, row.source.paragraph]);

  const moved = span.start !== row.source.start || span.end !== row.source.end;
  const changes = useMemo(
    () => ({
      attribution: { method: 'MANUAL' as const },
      ...(speaker?.id !== row.speaker?.id || speaker?.create ? { speakerId: speaker?.id ?? null } : {}),
      ...(kind !== row.kind ? { kind } : {}),
      ...(moved
        ? {
            source: {
              articleId: row.source.article.id,
              paragraph: row.source.paragraph,
              start: span.start,
              end: span.end,
              text: span.text,
            },
          }
        : {}),
    }),
    [speaker, kind, moved, span, row],
  );

  async function save(event: FormEvent) {
    event.preventDefault();
    if (spanProblem) return;
    setSaving(true);
    setProblem(null);
    try {
      const input = { ...changes };
      if (speaker?.create) {
        // A new person: made first, then named as the speaker.
        const created = (
          await write(() =>
            client.request(CreateActorDocument, { input: { name: speaker.name, kind: 'PERSON' } }),
          )
        ).createActor;
        if (created.__typename !== 'ActorPayload') {
          setProblem(created.message);
          return;
        }
        input.speakerId = created.actor.id;
      }
      const result = (
        await write(() =>
          client.request(UpdateStatementDocument, { id: row.id, expectedVersion: row.version, input }),
        )
      ).updateStatement;
      const outcome = outcomeOf(result);
      if (outcome.ok) onSaved();
      else if (outcome.conflict) onConflict(outcome.message);
      else setProblem(outcome.message);
    } catch (error) {
      setProblem(writeProblem(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      className="edit-statement"
      aria-label="Edit the statement"
      onSubmit={save}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onCancel();
        }
      }}
    >
      <ActorPicker label="Speaker" value={speaker} onChange={setSpeaker} inputRef={speakerRef} allowCreate />
      <fieldset className="kind-choice">
        <legend>Kind</legend>
        {(['DIRECT', 'INDIRECT'] as const).map((value) => (
          <label key={value}>
            <input
              type="radio"
              name={`kind-${row.id}`}
              value={value}
              checked={kind === value}
              onChange={() => setKind(value)}
            />{' '}
            {statementKindLabel[value]}
          </label>
        ))}
      </fieldset>
      <p className="muted">
        Select words in the paragraph, or use the buttons below it, to move the statement’s span.
      </p>
      <p ref={paragraphRef} className="paragraph review-paragraph selectable">
        {paragraphText.slice(0, span.start)}
        <mark className={`statement statement-${kind.toLowerCase()}`}>{span.text}</mark>
        {paragraphText.slice(span.end)}
      </p>
      <fieldset className="span-moves">
        <legend className="visually-hidden">Move the span a word at a time</legend>
        {(
          [
            ['start', -1, 'Start: a word earlier'],
            ['start', 1, 'Start: a word later'],
            ['end', -1, 'End: a word earlier'],
            ['end', 1, 'End: a word later'],
          ] as const
        ).map(([edge, direction, label]) => (
          <button
            key={label}
            type="button"
            className="button button-quiet button-small"
            onClick={() => {
              const result = moveSpanEdge(paragraphText, row.source.paragraph, span, edge, direction);
              setSpanProblem(result.problem);
              if (result.span) setSpan(result.span);
            }}
          >
            {label}
          </button>
        ))}
      </fieldset>
      <p className={spanProblem ? 'notice notice-error' : 'muted'} aria-live="polite">
        {spanProblem ?? (moved ? `New span: “${span.text}”.` : 'The span is unchanged.')}
      </p>
      {problem ? (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="review-actions">
        <button type="submit" className="button" disabled={saving || spanProblem !== null}>
          Save
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A mutation's result union, read as success (with the new version) or what to tell the editor. */
function outcomeOf(
  result:
    | { __typename: 'StatementPayload'; statement: { version: number } }
    | { __typename: 'ConflictError'; message: string; currentVersion?: number | null }
    | { __typename: 'NotFoundError' | 'ValidationError'; message: string },
): WriteOutcome {
  switch (result.__typename) {
    case 'StatementPayload':
      return { ok: true, version: result.statement.version };
    case 'ConflictError':
      return {
        ok: false,
        conflict: true,
        message: `Someone changed this statement since the queue was loaded (it is at version ${result.currentVersion}); nothing was saved. Reload to see it as it is now.`,
      };
    default:
      return { ok: false, conflict: false, message: result.message };
  }
}

/** What differs between a statement as the queue read it and as it is now, in words. */
function changesSince(
  row: Row,
  now: {
    text: string;
    kind: Row['kind'];
    speaker?: { name: string } | null;
    attribution: { method: string };
    version: number;
  },
): string {
  const changes = [
    (row.speaker?.name ?? null) !== (now.speaker?.name ?? null)
      ? `the speaker is ${now.speaker?.name ?? 'unknown'} (was ${row.speaker?.name ?? 'unknown'})`
      : null,
    row.kind !== now.kind ? `it is ${statementKindLabel[now.kind].toLowerCase()}` : null,
    row.text !== now.text ? `its words are “${shorten(now.text)}”` : null,
    now.attribution.method === 'MANUAL' ? 'it has been reviewed' : null,
  ].filter((change) => change !== null);
  return changes.length > 0 ? changes.join('; ') : `version ${now.version}, with other fields changed`;
}

const shorten = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

export function goToReview(): void {
  navigate(paths.editorReview());
}
