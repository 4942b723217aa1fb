import type { IncomingMessage, Server, ServerResponse } from 'node:http';

// Graceful shutdown of the HTTP side: stop accepting connections, let the requests in flight
// finish (each answered with `Connection: close`), close connections as they fall idle, and after
// the grace period cut whatever is still open.

export type Drain = {
  readonly draining: boolean;
  readonly inFlight: number;
  /** Counts a request until its response is finished or its connection is gone. */
  track(req: IncomingMessage, res: ServerResponse): void;
  /** Resolves once every connection is closed; `cut` says how many requests the grace period cut. */
  close(graceMs: number): Promise<{ cut: number }>;
};

export function createDrain(server: Server): Drain {
  const active = new Set<ServerResponse>();
  let draining = false;
  let settle: (() => void) | null = null;

  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return active.size;
    },
    track(_req, res) {
      active.add(res);
      if (draining) res.setHeader('connection', 'close');
      res.once('close', () => {
        active.delete(res);
        if (!draining) return;
        server.closeIdleConnections();
        if (active.size === 0) settle?.();
      });
    },
    async close(graceMs) {
      draining = true;
      for (const res of active) if (!res.headersSent) res.setHeader('connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        active.size === 0
          ? Promise.resolve(true)
          : new Promise<boolean>((resolve) => {
              settle = () => resolve(true);
            }),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
        }),
      ]);
      clearTimeout(timer);
      const cut = finished ? 0 : active.size;
      if (!finished) server.closeAllConnections();
      await closed;
      return { cut };
    },
  };
}
