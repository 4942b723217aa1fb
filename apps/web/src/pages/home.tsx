// The front page: the latest articles, newest first, and the treaties they cover.
import { ArticlesDocument } from '@chancery/sdk/documents/Articles';
import { TreatiesDocument } from '@chancery/sdk/documents/Treaties';
import type { ArticleSummaryFragment } from '@chancery/sdk/graphql';
import { Link } from 'wouter';
import {
  DateText,
  Empty,
  ErrorNotice,
  Loading,
  LoadMore,
  PageHeading,
  TreatyStatusBadge,
} from '../components.tsx';
import { treatyName } from '../format.ts';
import { useOperation, usePagedOperation } from '../queries.ts';
import { paths } from '../routes.ts';

const PAGE_SIZE = 20;

export function HomePage() {
  const articles = usePagedOperation(
    ArticlesDocument,
    { first: PAGE_SIZE, orderBy: 'PUBLISHED_AT_DESC' },
    (data) => data.articles,
  );
  return (
    <div className="with-sidebar">
      <div>
        <PageHeading title="Latest" kicker="Diplomatic news, statement by statement">
          Latest articles
        </PageHeading>
        {articles.status === 'loading' ? <Loading label="Loading the latest articles…" /> : null}
        {articles.status === 'error' ? <ErrorNotice error={articles.error} retry={articles.retry} /> : null}
        {articles.status === 'success' ? (
          articles.nodes.length === 0 ? (
            <Empty>No articles have been published yet.</Empty>
          ) : (
            <>
              <ol className="article-list">
                {articles.nodes.map((article) => (
                  <li key={article.id}>
                    <ArticleTeaser article={article} />
                  </li>
                ))}
              </ol>
              <LoadMore list={articles} noun={['article', 'articles']} />
            </>
          )
        ) : null}
      </div>
      <TreatySidebar />
    </div>
  );
}

export function ArticleTeaser({ article, level = 2 }: { article: ArticleSummaryFragment; level?: 2 | 3 }) {
  const Heading = `h${level}` as 'h2' | 'h3';
  return (
    <article className="teaser">
      <p className="teaser-meta">
        {article.publisher ? <span className="publisher">{article.publisher.name}</span> : null}
        <DateText value={article.publishedAt} />
      </p>
      <Heading className="teaser-headline">
        <Link to={paths.article(article.slug)}>{article.headline}</Link>
      </Heading>
      {article.standfirst ? <p className="teaser-standfirst">{article.standfirst}</p> : null}
    </article>
  );
}

function TreatySidebar() {
  const state = useOperation(TreatiesDocument, { first: 10 });
  return (
    <aside className="sidebar" aria-labelledby="sidebar-treaties">
      <h2 id="sidebar-treaties">Treaties</h2>
      {state.status === 'loading' ? <Loading label="Loading treaties…" /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} retry={state.retry} /> : null}
      {state.status === 'success' ? (
        state.data.treaties.nodes.length === 0 ? (
          <Empty>No treaties yet.</Empty>
        ) : (
          <ul className="sidebar-list">
            {state.data.treaties.nodes.map((treaty) => (
              <li key={treaty.id}>
                <Link to={paths.treaty(treaty.slug)}>{treatyName(treaty)}</Link>
                <TreatyStatusBadge status={treaty.status} />
              </li>
            ))}
          </ul>
        )
      ) : null}
      <p>
        <Link to={paths.treaties()}>All treaties</Link>
      </p>
    </aside>
  );
}
