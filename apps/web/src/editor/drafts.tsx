// Drafts and published stories: preview a draft exactly as readers will see it (the article page,
// which shows a signed-in editor the draft), review its statements, publish it; withdraw a
// published one.
import { EditorArticlesDocument } from '@chancery/sdk/documents/EditorArticles';
import { PublishArticleDocument } from '@chancery/sdk/documents/PublishArticle';
import { WithdrawArticleDocument } from '@chancery/sdk/documents/WithdrawArticle';
import type { EditorArticlesQuery } from '@chancery/sdk/graphql';
import { useState } from 'react';
import { Link } from 'wouter';
import { client } from '../api.ts';
import { DateText, Empty, ErrorNotice, Loading, PageHeading } from '../components.tsx';
import { count } from '../format.ts';
import { useDocumentTitle } from '../navigation.ts';
import { type QueryState, useOperation } from '../queries.ts';
import { paths } from '../routes.ts';
import { write, writeProblem } from './writes.ts';

type Article = EditorArticlesQuery['articles']['nodes'][number];

export function DraftsPage() {
  useDocumentTitle('Drafts');
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const drafts = useOperation(EditorArticlesDocument, { status: 'DRAFT', first: 50 });
  const published = useOperation(EditorArticlesDocument, { status: 'PUBLISHED', first: 20 });

  async function change(article: Article, action: 'publish' | 'withdraw') {
    setNotice(null);
    try {
      const variables = { id: article.id, expectedVersion: article.version };
      // Both lists are read again after it: the story moves from one to the other.
      const result = await write(async () =>
        action === 'publish'
          ? (await client.request(PublishArticleDocument, variables)).publishArticle
          : (await client.request(WithdrawArticleDocument, variables)).withdrawArticle,
      );
      if (result.__typename === 'ArticlePayload') {
        setNotice({
          text: `${action === 'publish' ? 'Published' : 'Withdrawn'}: “${article.headline}”.`,
          error: false,
        });
      } else if (result.__typename === 'ConflictError') {
        setNotice({
          text: `Someone changed “${article.headline}” since this list was loaded; nothing was changed. The list is read again: check it and try again.`,
          error: true,
        });
      } else setNotice({ text: result.message, error: true });
    } catch (error) {
      setNotice({ text: writeProblem(error), error: true });
    }
  }

  return (
    <>
      <PageHeading title="Drafts" kicker="Editorial workspace">
        Drafts
      </PageHeading>
      <div role="status" aria-live="polite">
        {notice ? (
          <p className={`notice ${notice.error ? 'notice-error' : 'notice-info'}`}>{notice.text}</p>
        ) : null}
      </div>
      <section aria-labelledby="drafts-heading">
        <h2 id="drafts-heading">Not yet published</h2>
        <ArticleList
          state={drafts}
          action="publish"
          onAction={change}
          empty="No drafts: every story is published."
        />
      </section>
      <section aria-labelledby="published-heading">
        <h2 id="published-heading">Published</h2>
        <ArticleList
          state={published}
          action="withdraw"
          onAction={change}
          empty="Nothing is published yet."
        />
      </section>
    </>
  );
}

function ArticleList({
  state,
  action,
  onAction,
  empty,
}: {
  state: QueryState<EditorArticlesQuery>;
  action: 'publish' | 'withdraw';
  onAction: (article: Article, action: 'publish' | 'withdraw') => void;
  empty: string;
}) {
  if (state.status === 'loading') return <Loading label="Loading the stories…" />;
  if (state.status === 'error') return <ErrorNotice error={state.error} retry={state.retry} />;
  const articles = state.data.articles.nodes;
  if (articles.length === 0) return <Empty>{empty}</Empty>;
  return (
    <ul className="editor-articles">
      {articles.map((article) => (
        <li key={article.id}>
          <h3>{article.headline}</h3>
          <p className="muted">
            <DateText value={article.publishedAt} /> · {count(article.statements.totalCount, 'statement')}
            {article.publisher ? ` · ${article.publisher.name}` : ''}
          </p>
          <div className="review-actions">
            <Link to={paths.article(article.slug)} className="button button-quiet">
              Preview<span className="visually-hidden"> “{article.headline}”</span>
            </Link>
            <Link to={paths.editorReview({ articleId: article.id })} className="button button-quiet">
              Review statements<span className="visually-hidden"> of “{article.headline}”</span>
            </Link>
            <button type="button" className="button" onClick={() => onAction(article, action)}>
              {action === 'publish' ? 'Publish' : 'Withdraw'}
              <span className="visually-hidden"> “{article.headline}”</span>
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}
