// What the benchmark passes to createServer besides the database, here and in setup.ts alike.
// The cost budget is raised because scenario 2 (20 treaties × every provision × 3 statements with
// speakers, the nested query) prices at ~41 000 with the list sizes of limits/cost.ts,
// over the default 25 000: the benchmark measures what serving it costs, not the admission rule.
// The plugin still prices every request as it would in production.
export const BENCH_SERVER_OPTIONS = { limits: { maxCost: 200_000 } };
