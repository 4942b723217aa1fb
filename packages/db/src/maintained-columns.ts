// Columns the database derives from other rows with triggers (besides generated columns and
// search vectors, which are recognised by their definition): no write sets them, and bundles and
// revisions leave them out. Kept apart from schema.ts, whose exports are all tables.
export const maintainedColumns: Readonly<Record<string, readonly string[]>> = {
  // The article's state on each statement (migration 0005).
  statements: ['article_live', 'article_published'],
};
