// CHANCERY_WATCH: the server polls feeds, pages and drop folders as `chancery watch` does (the same
// Watcher and loop, @chancery/db/import/watch), logs one line per poll and shows each source's
// status in /metrics. With several workers only the one the primary chose watches (cluster.ts), so
// the sources are not polled once per process. stop() ends the poll under way between sources.
import type { Database } from '@chancery/db/database';
import { describePoll, formatInterval, summarizePoll, Watcher, WatchLoop } from '@chancery/db/import/watch';
import type { ArticleStatus } from '@chancery/domain/model';
import type { Logger } from './logging.ts';
import type { Metrics } from './metrics.ts';

export type WatchSettings = { sources: string[]; intervalMs: number; status: ArticleStatus };

export type ServerWatch = { stop(): Promise<void> };

export function startWatching(options: {
  database: Database;
  settings: WatchSettings;
  metrics: Metrics;
  logger: Logger;
}): ServerWatch {
  const { settings, metrics, logger } = options;
  const watcher = new Watcher(options.database.db, settings.sources, {
    intervalMs: settings.intervalMs,
    status: settings.status,
  });
  metrics.watching(settings.sources);
  const loop = new WatchLoop(watcher, {
    intervalMs: settings.intervalMs,
    onPoll: (report, seconds) => {
      metrics.watchPolled(report, new Date());
      for (const source of report.sources) {
        for (const item of source.items)
          if (item.kind === 'error') logger.warn({ watch: item.source }, item.error);
        if (source.state === 'failed')
          logger.warn(
            { watch: source.source, retryAt: source.retryAt },
            `${source.error}${source.retryAt ? ` (next try ${source.retryAt})` : ''}`,
          );
      }
      const summary = summarizePoll(report);
      logger.info({ watch: summary, seconds }, `Watch ${describePoll(summary)}`);
    },
    onError: (error) =>
      logger.error({ err: error }, 'A poll of the watched sources failed; trying again at the next one.'),
  });
  logger.info(
    { watch: settings.sources, intervalMs: settings.intervalMs },
    `Watching ${settings.sources.join(', ')} every ${formatInterval(settings.intervalMs)}.`,
  );
  void loop.run();
  return { stop: () => loop.stop() };
}
