// An article as printed, paragraph by paragraph, with each statement highlighted in place. Hover a
// statement to preview it; click it, or Tab to it, to pin its details (speaker, kind, what it is
// about) in the side panel; Enter moves into the panel, Escape comes back. The URL's fragment
// (#statement-<id>) names the pinned statement, so a statement can be linked to.
import { ReaderArticleDocument } from '@chancery/sdk/documents/ReaderArticle';
import type { ReaderArticleQuery, ReaderStatementFragment } from '@chancery/sdk/graphql';
import {
  type KeyboardEvent,
  type ReactNode,
  type Ref,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { Link } from 'wouter';
import { DateText, ErrorNotice, KindBadge, Loading, NotFound, PageHeading } from '../components.tsx';
import { count, formatDay, provisionLabel, statementKindLabel, treatyName } from '../format.ts';
import { type MarkedSpan, markParagraph } from '../highlight.ts';
import { replaceHash } from '../navigation.ts';
import { useOperation } from '../queries.ts';
import { paths } from '../routes.ts';

type Article = NonNullable<ReaderArticleQuery['article']>;
type Statement = ReaderStatementFragment;
type Mention = Article['mentions'][number];
/** What a stretch of a paragraph names: an actor, a treaty or a provision — or the dateline. */
type Named = { kind: 'mention'; mention: Mention; to: string; label: string } | { kind: 'dateline' };

export function ArticlePage({ slug, statementId }: { slug: string; statementId: string | null }) {
  const state = useOperation(ReaderArticleDocument, { slug });
  if (state.status === 'loading') return <Loading label="Loading the article…" />;
  if (state.status === 'error') return <ErrorNotice error={state.error} retry={state.retry} />;
  const { article } = state.data;
  if (!article) return <NotFound what="article" path={paths.article(slug)} />;
  return <ArticleView article={article} statementId={statementId} />;
}

export function ArticleView({ article, statementId }: { article: Article; statementId: string | null }) {
  const statements = article.statements.nodes;
  const byId = useMemo(
    () => new Map(statements.map((s, i) => [s.id, { statement: s, number: i + 1 }])),
    [statements],
  );
  const known = (id: string | null) => (id && byId.has(id) ? id : null);
  const [selected, setSelected] = useState<string | null>(() => known(statementId));
  const [preview, setPreview] = useState<string | null>(null);
  const panelRef = useRef<HTMLHeadingElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  // The fragment this page wrote itself, so that only a link from elsewhere scrolls.
  const ownHash = useRef<string | null>(null);

  // A link to this article naming a statement (the URL's fragment) pins it and brings it into view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new fragment should re-pin.
  useEffect(() => {
    const id = known(statementId);
    if (id && id !== ownHash.current) {
      setSelected(id);
      markOf(bodyRef.current, id)?.scrollIntoView({ block: 'center' });
    }
    ownHash.current = null;
  }, [statementId]);

  const select = useCallback((id: string | null) => {
    setSelected(id);
    ownHash.current = id;
    replaceHash(id ? `statement-${id}` : '');
  }, []);

  // Focus given back to a statement after closing its details must not pin it again.
  const quietFocus = useRef(false);
  function focusMark(id: string, options: { pin: boolean } = { pin: true }) {
    const mark = markOf(bodyRef.current, id);
    mark?.scrollIntoView({ block: 'nearest' });
    quietFocus.current = !options.pin;
    mark?.focus({ preventScroll: true });
    quietFocus.current = false;
  }

  function onMarkKeyDown(event: KeyboardEvent, id: string) {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select(id);
      // The panel renders the pinned statement; then the keyboard moves into it.
      requestAnimationFrame(() => panelRef.current?.focus());
    } else if (event.key === 'Escape' && selected) {
      event.preventDefault();
      select(null);
    }
  }

  function onPanelKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape' && selected) {
      event.preventDefault();
      const id = selected;
      focusMark(id);
    }
  }

  const shown = preview ?? selected;
  const shownEntry = shown ? byId.get(shown) : undefined;
  const selectedEntry = selected ? byId.get(selected) : undefined;

  const paragraphs = article.paragraphs.map((paragraph) => {
    const statementSpans: MarkedSpan<Statement>[] = statements
      .filter((s) => s.source.paragraph === paragraph.index)
      .map((s) => ({ start: s.source.start, end: s.source.end, value: s }));
    const named: MarkedSpan<Named>[] = article.mentions
      .filter((m) => m.span.paragraph === paragraph.index)
      .flatMap((mention) => {
        const target = mentionTarget(mention);
        return target
          ? [
              {
                start: mention.span.start,
                end: mention.span.end,
                value: { kind: 'mention' as const, mention, ...target },
              },
            ]
          : [];
      });
    const dateline = article.dateline?.text;
    if (paragraph.index === 0 && dateline && paragraph.text.startsWith(dateline)) {
      named.push({ start: 0, end: dateline.trimEnd().length, value: { kind: 'dateline' } });
    }
    return { index: paragraph.index, runs: markParagraph(paragraph.text, statementSpans, named) };
  });

  const seen = new Set<string>();
  return (
    <article className="article" lang={article.language} aria-labelledby="article-headline">
      <div className="article-header">
        <PageHeading
          title={article.headline}
          kicker={
            <>
              {article.publisher ? (
                <Link to={paths.actor(article.publisher.slug)}>{article.publisher.name}</Link>
              ) : null}
              {article.dateline?.place ? <span> · {titleCase(article.dateline.place)}</span> : null}
            </>
          }
        >
          <span id="article-headline">{article.headline}</span>
        </PageHeading>
        {article.standfirst ? <p className="standfirst">{article.standfirst}</p> : null}
        <p className="byline">
          {article.byline ? <span>By {article.byline} · </span> : null}
          Published <DateText value={article.publishedAt} />
          {article.url ? (
            <>
              {' · '}
              <a href={article.url} rel="noopener noreferrer">
                Original story<span className="visually-hidden"> (external site)</span>
              </a>
            </>
          ) : null}
        </p>
      </div>

      <div className="article-layout">
        <div className="article-body" ref={bodyRef}>
          {statements.length > 0 ? (
            <p className="reading-hint">
              <span className="swatch swatch-direct" aria-hidden="true" /> Direct quote{' '}
              <span className="swatch swatch-indirect" aria-hidden="true" /> Reported speech — hover, click or
              Tab to a highlighted passage to see who said it and what it is about.
            </p>
          ) : null}
          {paragraphs.map((paragraph) => (
            <p key={paragraph.index} className="paragraph">
              {paragraph.runs.map((run) => {
                const content = run.pieces.map((piece) => (
                  <NamedText key={piece.start} named={piece.mention} linked={run.statement === null}>
                    {piece.text}
                  </NamedText>
                ));
                if (!run.statement) return <span key={run.start}>{content}</span>;
                const statement = run.statement;
                const first = !seen.has(statement.id);
                seen.add(statement.id);
                const entry = byId.get(statement.id)!;
                return (
                  // A statement stays the highlighted text it is (a <mark>, which may hold the names marked
                  // in it) and is activated like a button: role, tabindex, aria-pressed, Enter and Space.
                  // biome-ignore lint/a11y/useSemanticElements: see above.
                  <mark
                    key={run.start}
                    id={first ? `statement-${statement.id}` : undefined}
                    data-statement-id={statement.id}
                    className={[
                      'statement',
                      `statement-${statement.kind.toLowerCase()}`,
                      selected === statement.id ? 'is-selected' : null,
                      preview === statement.id ? 'is-preview' : null,
                    ]
                      .filter(Boolean)
                      .join(' ')}
                    // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: see above.
                    role="button"
                    tabIndex={first ? 0 : -1}
                    aria-pressed={selected === statement.id}
                    aria-controls="statement-panel"
                    aria-describedby={`statement-description-${entry.number}`}
                    onMouseEnter={() => setPreview(statement.id)}
                    onMouseLeave={() => setPreview(null)}
                    onClick={() => select(statement.id)}
                    onFocus={() => {
                      if (!quietFocus.current) select(statement.id);
                    }}
                    onKeyDown={(event) => onMarkKeyDown(event, statement.id)}
                  >
                    {content}
                  </mark>
                );
              })}
            </p>
          ))}
          <div hidden>
            {statements.map((statement, i) => (
              <span key={statement.id} id={`statement-description-${i + 1}`}>
                {statementKindLabel[statement.kind]}
                {statement.speaker ? ` by ${statement.speaker.name}` : ''}. Press Enter for details.
              </span>
            ))}
          </div>
        </div>

        <aside className="article-rail" aria-label="Statements in this story" onKeyDown={onPanelKeyDown}>
          <section
            id="statement-panel"
            className={`statement-panel${shownEntry ? ' has-statement' : ''}`}
            aria-labelledby="statement-panel-heading"
          >
            {shownEntry ? (
              <StatementDetails
                statement={shownEntry.statement}
                number={shownEntry.number}
                total={statements.length}
                headingRef={panelRef}
                pinned={shown === selected}
                onClose={() => {
                  const id = selected;
                  select(null);
                  if (id) focusMark(id, { pin: false });
                }}
              />
            ) : (
              <StatementIndex
                statements={statements}
                headingRef={panelRef}
                onPick={(id) => {
                  select(id);
                  focusMark(id);
                }}
              />
            )}
          </section>
          <p className="visually-hidden" aria-live="polite">
            {selectedEntry
              ? `Statement ${selectedEntry.number} of ${statements.length}${selectedEntry.statement.speaker ? `, by ${selectedEntry.statement.speaker.name}` : ''}, shown in the side panel.`
              : ''}
          </p>
          <RelatedTreaties article={article} />
        </aside>
      </div>
    </article>
  );
}

function markOf(body: HTMLElement | null, id: string): HTMLElement | null {
  return body?.querySelector<HTMLElement>(`mark[data-statement-id="${CSS.escape(id)}"]`) ?? null;
}

function mentionTarget(mention: Mention): { to: string; label: string } | null {
  if (mention.provision)
    return {
      to: paths.provision(mention.provision.treaty.slug, mention.provision.number),
      label: `${provisionLabel(mention.provision.number)} of the ${treatyName(mention.provision.treaty)}`,
    };
  if (mention.treaty) return { to: paths.treaty(mention.treaty.slug), label: treatyName(mention.treaty) };
  if (mention.actor) return { to: paths.actor(mention.actor.slug), label: mention.actor.name };
  return null;
}

/** A name in the text: a link outside statements; inside one (which is itself activatable), marked only. */
function NamedText({
  named,
  linked,
  children,
}: {
  named: Named | null;
  linked: boolean;
  children: ReactNode;
}) {
  if (!named) return <>{children}</>;
  if (named.kind === 'dateline') return <span className="dateline">{children}</span>;
  if (!linked)
    return (
      <span className="mention" title={named.label}>
        {children}
      </span>
    );
  return (
    <Link to={named.to} className="mention" title={named.label}>
      {children}
    </Link>
  );
}

function StatementDetails({
  statement,
  number,
  total,
  headingRef,
  pinned,
  onClose,
}: {
  statement: Statement;
  number: number;
  total: number;
  headingRef: Ref<HTMLHeadingElement>;
  pinned: boolean;
  onClose: () => void;
}) {
  const treatiesOnly = statement.about.filter(
    (treaty) => !statement.provisions.some((provision) => provision.treaty.id === treaty.id),
  );
  return (
    <div className="statement-details">
      <div className="panel-top">
        <h2 id="statement-panel-heading" ref={headingRef} tabIndex={-1}>
          Statement {number} <span className="muted">of {total}</span>
        </h2>
        {pinned ? (
          <button type="button" className="button-quiet" onClick={onClose}>
            Close<span className="visually-hidden"> statement details</span>
          </button>
        ) : null}
      </div>
      <dl className="facts">
        <dt>Speaker</dt>
        <dd>
          {statement.speaker ? (
            <Link to={paths.actor(statement.speaker.slug)} className="speaker">
              {statement.speaker.name}
            </Link>
          ) : (
            <span className="muted">Not named in the story</span>
          )}
          {statement.speakerRole ? <div className="muted">{capitalize(statement.speakerRole)}</div> : null}
        </dd>
        <dt>Kind</dt>
        <dd>
          <KindBadge kind={statement.kind} />
          {statement.cue ? <span className="muted"> “{statement.cue}”</span> : null}
        </dd>
        <dt>Said</dt>
        <dd>
          <DateText value={statement.saidOn} />
          {statement.occasion ? <div className="muted">{statement.occasion}</div> : null}
        </dd>
        <dt>About</dt>
        <dd>
          {statement.provisions.length + treatiesOnly.length === 0 ? (
            <span className="muted">No treaty or provision recorded</span>
          ) : (
            <ul className="about-list">
              {statement.provisions.map((provision) => (
                <li key={provision.id}>
                  <Link to={paths.provision(provision.treaty.slug, provision.number)}>
                    {provisionLabel(provision.number)}
                  </Link>{' '}
                  <span className="muted">of the {treatyName(provision.treaty)}</span>
                  {provision.summary ? <p className="summary">{provision.summary}</p> : null}
                </li>
              ))}
              {treatiesOnly.map((treaty) => (
                <li key={treaty.id}>
                  <Link to={paths.treaty(treaty.slug)}>{treatyName(treaty)}</Link>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {pinned ? (
        <p className="panel-foot muted">
          <a href={`#statement-${statement.id}`}>Link to this statement</a> · Esc returns to the text
        </p>
      ) : (
        <p className="panel-foot muted">Click to pin these details.</p>
      )}
    </div>
  );
}

function StatementIndex({
  statements,
  headingRef,
  onPick,
}: {
  statements: Statement[];
  headingRef: Ref<HTMLHeadingElement>;
  onPick: (id: string) => void;
}) {
  return (
    <div className="statement-index">
      <h2 id="statement-panel-heading" ref={headingRef} tabIndex={-1}>
        {statements.length === 0 ? 'No statements recorded' : count(statements.length, 'statement')} in this
        story
      </h2>
      {statements.length === 0 ? (
        <p className="muted">Nobody is quoted or reported in this story yet.</p>
      ) : (
        <ol>
          {statements.map((statement) => (
            <li key={statement.id}>
              <button type="button" className="index-item" onClick={() => onPick(statement.id)}>
                <span className="index-speaker">{statement.speaker?.name ?? 'Unnamed speaker'}</span>
                <span className="index-meta">
                  {statementKindLabel[statement.kind]} · {formatDay(statement.saidOn)}
                </span>
                <span className="index-excerpt">{excerpt(statement.text, 90)}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function RelatedTreaties({ article }: { article: Article }) {
  if (article.treaties.length === 0) return null;
  return (
    <section className="related" aria-labelledby="related-treaties">
      <h2 id="related-treaties">Treaties in this story</h2>
      <ul>
        {article.treaties.map((treaty) => (
          <li key={treaty.id}>
            <Link to={paths.treaty(treaty.slug)}>{treatyName(treaty)}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function excerpt(text: string, length: number): string {
  return text.length <= length
    ? text
    : `${text.slice(0, text.lastIndexOf(' ', length)).replace(/[,;:]$/, '')}…`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function titleCase(text: string): string {
  return text.toLowerCase().replace(/(^|[\s-])\p{L}/gu, (letter) => letter.toUpperCase());
}
