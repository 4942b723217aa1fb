/**
 * Serves one PGlite instance to PostgreSQL clients (node-postgres, psql) on a Unix socket.
 *
 * Why not `PGLiteSocketServer` from `@electric-sql/pglite-socket` 0.2.17: its multiplexer schedules
 * individual protocol *messages* from different connections, so with two or more clients the
 * extended-protocol messages of one query (Parse/Bind/Describe/Execute/Sync — every parameterised
 * query) interleave with another client's: measured with a pg.Pool of 8, this gave wrong rows,
 * "portal does not exist", "bind message supplies 1 parameters, but prepared statement requires 2",
 * and a client hung forever. It also takes only PGlite's query mutex, so in-process
 * `pglite.query()` calls made by the owning process run *inside* a socket client's open transaction
 * (a socket client's ROLLBACK discarded an in-process insert).
 *
 * This server instead gives each connection exclusive use of the single PGlite session from the
 * first message of a request until PGlite reports ReadyForQuery with status idle ('I'):
 * - a request is buffered until its flush point (Query, Sync, Flush, FunctionCall, CopyDone,
 *   CopyFail, or the StartupMessage) and then executed as a whole;
 * - the session is taken through PGlite's own transaction mutex — the one `pglite.query()`,
 *   `pglite.exec()` and `pglite.transaction()` take — so in-process users and socket clients are
 *   serialised against each other too; while any party holds a transaction, everyone else waits;
 * - a connection that goes away while holding the session (open transaction, half-sent extended
 *   query) is rolled back before the session is released.
 *
 * Not supported (the session is shared, as in PGlite itself): per-connection session state
 * (`SET`, temporary tables and named prepared statements are visible to/clash with other clients),
 * a LISTEN of a client's own (notifications go to the session's listeners, whoever they are: a
 * client sees those its statements deliver, and so does `onNotification`), CancelRequest
 * (ignored), SSL/GSS (declined with 'N', as the protocol allows).
 */

import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const MAX_MESSAGE_BYTES = 1 << 30;

/** Message types after which the client waits for a response. */
const FLUSH_POINTS = new Set(['Q', 'S', 'H', 'F', 'c', 'f'].map((c) => c.charCodeAt(0)));
const TERMINATE = 'X'.charCodeAt(0);
const READY_FOR_QUERY = 'Z'.charCodeAt(0);
const IDLE = 'I'.charCodeAt(0);
const NOTIFICATION = 'A'.charCodeAt(0);

export type NotificationListener = (channel: string, payload: string) => void;

export interface PGliteSocketServerOptions {
  pglite: PGlite;
  /** Unix socket path; pg connects with host = its directory and the file named `.s.PGSQL.<port>`. */
  path: string;
  /** Connections beyond this get FATAL 53300 too_many_connections. Default 32. */
  maxConnections?: number;
  /**
   * Called for every notification a client's statements deliver to the session's LISTENs (the
   * owner's: PGlite's own `listen()` only sees what runs through `pglite.query/exec`).
   */
  onNotification?: NotificationListener;
}

export interface PGliteSocketServer {
  readonly path: string;
  /** Number of open client connections. */
  readonly connectionCount: number;
  /** Stops listening, disconnects clients (rolling back their open transactions). Idempotent. */
  stop(): Promise<void>;
}

type Release = () => void;

/** Holds PGlite's transaction mutex until the returned function is called. */
function acquireSession(pglite: PGlite): Promise<Release> {
  return new Promise<Release>((resolveAcquired, reject) => {
    pglite
      ._runExclusiveTransaction(() => new Promise<void>((release) => resolveAcquired(() => release())))
      .catch(reject);
  });
}

function typedMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const SYNC = typedMessage('S', Buffer.alloc(0));
const ROLLBACK = typedMessage('Q', Buffer.from('ROLLBACK\0', 'utf8'));

function fatalError(code: string, message: string): Buffer {
  const field = (tag: string, value: string) => Buffer.from(`${tag}${value}\0`, 'utf8');
  return typedMessage(
    'E',
    Buffer.concat([
      field('S', 'FATAL'),
      field('V', 'FATAL'),
      field('C', code),
      field('M', message),
      Buffer.from([0]),
    ]),
  );
}

/**
 * Tracks message boundaries in a backend response stream (which PGlite may deliver in arbitrary
 * chunks): remembers the status byte of the last ReadyForQuery and hands over each
 * NotificationResponse (a NOTIFY that a client's commit delivered to the owner's LISTEN).
 */
class BackendMessageScanner {
  private header = Buffer.alloc(5);
  private headerFill = 0;
  private remaining = 0;
  private type = 0;
  private notification: Buffer[] = [];
  lastStatus: number | null = null;

  constructor(private readonly onNotification: NotificationListener | undefined) {}

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - i);
        if (this.type === READY_FOR_QUERY) this.lastStatus = chunk[i + take - 1] ?? this.lastStatus;
        if (this.type === NOTIFICATION && this.onNotification)
          this.notification.push(Buffer.from(chunk.subarray(i, i + take)));
        this.remaining -= take;
        i += take;
        if (this.remaining === 0 && this.type === NOTIFICATION) this.emitNotification();
        continue;
      }
      this.header[this.headerFill++] = chunk[i++] ?? 0;
      if (this.headerFill === 5) {
        this.headerFill = 0;
        this.type = this.header[0] ?? 0;
        this.remaining = this.header.readInt32BE(1) - 4;
      }
    }
  }

  /** NotificationResponse body: Int32 process id, String channel, String payload. */
  private emitNotification(): void {
    const body = Buffer.concat(this.notification);
    this.notification = [];
    if (!this.onNotification) return;
    const channelEnd = body.indexOf(0, 4);
    const payloadEnd = body.indexOf(0, channelEnd + 1);
    if (channelEnd < 0 || payloadEnd < 0) return;
    this.onNotification(
      body.toString('utf8', 4, channelEnd),
      body.toString('utf8', channelEnd + 1, payloadEnd),
    );
  }
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private startupDone = false;
  private batch: Buffer[] = [];
  private release: Release | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** The socket closed: pending requests are skipped, the session is cleaned up. */
  private closed = false;
  /** Terminate received (or a protocol error): further input is ignored. */
  private terminated = false;
  /** Resolves once the connection is closed and the session released. */
  readonly finished: Promise<void>;

  constructor(
    private readonly pglite: PGlite,
    private readonly socket: Socket,
    private readonly onNotification: NotificationListener | undefined,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
    this.finished = new Promise<void>((resolveFinished) => {
      socket.once('close', () => {
        this.closed = true;
        this.batch = [];
        this.enqueue(() => this.cleanup());
        void this.chain.then(resolveFinished);
      });
    });
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch(() => {
      this.socket.destroy();
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    try {
      while (!this.closed && !this.terminated) {
        if (!this.startupDone ? !this.takeStartupMessage() : !this.takeTypedMessage()) break;
      }
    } catch (error) {
      this.terminated = true;
      this.socket.end(fatalError('08P01', (error as Error).message));
    }
  }

  /** Handles one startup-phase message; false when more bytes are needed. */
  private takeStartupMessage(): boolean {
    if (this.buffer.length < 8) return false;
    const length = this.buffer.readInt32BE(0);
    if (length < 8 || length > 10_000) throw new Error('invalid startup packet length');
    if (this.buffer.length < length) return false;
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    const code = message.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      this.socket.write('N');
    } else if (code === CANCEL_REQUEST) {
      this.terminated = true;
      this.socket.end();
    } else if (code >> 16 === 3) {
      this.startupDone = true;
      const copy = Buffer.from(message);
      this.enqueue(() => this.run([copy]));
    } else {
      throw new Error(`unsupported frontend protocol ${code >> 16}.${code & 0xffff} (server supports 3.0)`);
    }
    return true;
  }

  /** Handles one regular message; false when more bytes are needed. */
  private takeTypedMessage(): boolean {
    if (this.buffer.length < 5) return false;
    const length = this.buffer.readInt32BE(1);
    if (length < 4 || length > MAX_MESSAGE_BYTES) throw new Error('invalid message length');
    if (this.buffer.length < length + 1) return false;
    const message = Buffer.from(this.buffer.subarray(0, length + 1));
    this.buffer = this.buffer.subarray(length + 1);
    const type = message[0] ?? 0;
    if (type === TERMINATE) {
      // After the requests already received have been answered.
      this.terminated = true;
      this.batch = [];
      this.enqueue(async () => {
        this.socket.end();
      });
      return true;
    }
    this.batch.push(message);
    if (FLUSH_POINTS.has(type)) {
      const batch = this.batch;
      this.batch = [];
      this.enqueue(() => this.run(batch));
    }
    return true;
  }

  /** Executes a complete request while holding the session; keeps it unless PGlite is idle after. */
  private async run(messages: Buffer[]): Promise<void> {
    if (this.closed) return;
    this.release ??= await acquireSession(this.pglite);
    if (this.closed) return; // cleanup() rolls back and releases
    const scanner = new BackendMessageScanner(this.onNotification);
    await this.pglite.runExclusive(async () => {
      for (const message of messages) {
        await this.pglite.execProtocolRawStream(message, {
          onRawData: (data) => {
            scanner.feed(data);
            if (!this.socket.destroyed) this.socket.write(Buffer.from(data));
          },
        });
      }
    });
    if (scanner.lastStatus === IDLE) this.releaseSession();
  }

  private releaseSession(): void {
    const release = this.release;
    this.release = null;
    release?.();
  }

  /** After disconnect: end whatever the client left open (explicit or implicit transaction). */
  private async cleanup(): Promise<void> {
    if (!this.release) return;
    try {
      if (!this.pglite.closed) {
        await this.pglite.runExclusive(async () => {
          // ROLLBACK aborts an open or implicit transaction; if the session is skipping messages
          // after an extended-protocol error, Sync ends that, and the second ROLLBACK closes an
          // explicit transaction that was left in the failed state.
          for (const message of [ROLLBACK, SYNC, ROLLBACK]) {
            await this.pglite.execProtocolRawStream(message, { onRawData: () => undefined });
          }
        });
      }
    } finally {
      this.releaseSession();
    }
  }
}

/** Starts serving `pglite` on the Unix socket `path` (which must not exist). */
export async function startPGliteSocketServer(
  options: PGliteSocketServerOptions,
): Promise<PGliteSocketServer> {
  const { pglite, path } = options;
  const maxConnections = options.maxConnections ?? 32;
  await pglite.waitReady;
  const connections = new Set<Connection>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (connections.size >= maxConnections) {
      socket.on('error', () => socket.destroy());
      socket.end(fatalError('53300', `sorry, too many clients already (max ${maxConnections})`), () =>
        socket.destroy(),
      );
      return;
    }
    const connection = new Connection(pglite, socket, options.onNotification);
    connections.add(connection);
    void connection.finished.then(() => connections.delete(connection));
  });
  await new Promise<void>((resolveListening, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolveListening();
    });
  });
  server.on('error', () => undefined);

  let stopping: Promise<void> | null = null;
  return {
    path,
    get connectionCount() {
      return connections.size;
    },
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolveClosed) => server.close(() => resolveClosed()));
        const finished = [...connections].map((c) => c.finished);
        for (const socket of sockets) socket.destroy();
        await Promise.all([closed, ...finished]);
      })();
      return stopping;
    },
  };
}
