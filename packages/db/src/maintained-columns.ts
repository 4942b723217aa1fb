// Columns the database derives from other rows with triggers (besides generated columns and
// search vectors, which are recognised by their definition): no write sets them, and bundles and
// revisions leave them out. Kept apart from schema.ts, whose exports are all tables.
export const maintainedColumns: Readonly<Record<string, readonly string[]>> = {
  // Each statement's visibility, from its own deletion and its article's state (migration 0005).
  statements: ['live', 'published'],
};
