import type { Statement } from './compile.ts';

/**
 * What Apollo decided for an anonymous request that its compiled statement answered. Every one of
 * those decisions depends on the request's text alone (its Accept header and body, as the response
 * cache keys it), never on the data: which operation, the variables' values, the limits, the
 * trusted-documents verdict, the statement, the content type. So a request with the same text
 * runs the same statement at once and gets the response Apollo wrote around its answer, without
 * Apollo's pipeline (in the bench, `latest`: 0.24 → 0.19 ms of server CPU per request). The statement
 * still runs every time: the answer is never remembered, only the way to it.
 */
export type Replay = {
  statement: Statement;
  /** The operation's name as Apollo resolved it. */
  operationName: string | null;
  cost: number | undefined;
  /** The response's headers as Apollo set them (its content type, negotiated from Accept). */
  headers: [string, string][];
  /** What Apollo wrote after the data (outside production, `extensions` with the cost). */
  afterData: string;
};

const BEFORE_DATA = '{"data":';

/** A response body that is a compiled answer's data and what follows it. */
export const replayBody = (data: string, afterData: string): string => `${BEFORE_DATA}${data}${afterData}`;

/** What follows the data in a response body that starts with the data alone; null for any other body. */
export function afterDataIn(body: string, data: string): string | null {
  return body.startsWith(BEFORE_DATA) && body.startsWith(data, BEFORE_DATA.length)
    ? body.slice(BEFORE_DATA.length + data.length)
    : null;
}

/** Request texts remembered at most, least recently used first out. */
const MAX_REPLAYS = 1_000;
/** Longer request texts are not remembered (a key holds on to its text). */
const LONGEST_KEY = 8_192;

export class Replays {
  private readonly known = new Map<string, Replay>();

  get(key: string): Replay | undefined {
    const replay = this.known.get(key);
    if (replay) {
      // Re-inserting moves the entry to the end: the least recently used stays first.
      this.known.delete(key);
      this.known.set(key, replay);
    }
    return replay;
  }

  forget(key: string): void {
    this.known.delete(key);
  }

  remember(key: string, replay: Replay): void {
    if (key.length > LONGEST_KEY) return;
    if (this.known.size >= MAX_REPLAYS) this.known.delete(this.known.keys().next().value as string);
    this.known.set(key, replay);
  }
}
