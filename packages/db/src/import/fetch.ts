// Fetching a source over http(s), defensively: a time limit on the whole exchange, a size cap on
// the body as decompressed (so a gzip bomb stops at the cap) and a refusal before reading when the
// server announces more, redirects followed only so far and never in a loop, and conditional GETs
// (ETag, Last-Modified) so that an unchanged feed costs one small answer.
import { ImportError } from './errors.ts';

export type FetchLimits = {
  /** The whole exchange, connection to last byte. */
  timeoutMs: number;
  /** The body as decompressed. */
  maxBytes: number;
  maxRedirects: number;
};

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  timeoutMs: 30_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
};

export type Validators = { etag: string | null; lastModified: string | null };

export type Fetched =
  | ({ status: 'ok'; url: string; bytes: Uint8Array; contentType: string | null } & Validators)
  | ({ status: 'not-modified'; url: string } & Validators);

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export const isUrl = (value: string) => /^https?:\/\//i.test(value);

/** fetchSource's `stop` signal fired: the caller is stopping, so nothing is said about the source. */
export class FetchStopped extends Error {
  override name = 'FetchStopped';
}

function networkProblem(error: unknown, limits: FetchLimits): string {
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `no complete answer within ${limits.timeoutMs / 1000} s (the server is slow or hanging)`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `could not fetch: ${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return `could not fetch: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Fetches `url`, or says it has not changed since `validators` were given. Throws an ImportError,
 * or FetchStopped once `stop` fires (a watcher told to stop does not wait for a slow server).
 */
export async function fetchSource(
  url: string,
  validators: Validators = { etag: null, lastModified: null },
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
  stop?: AbortSignal,
): Promise<Fetched> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
  const seen = new Set<string>();
  let current = url;
  try {
    for (let redirects = 0; ; redirects++) {
      seen.add(current);
      const headers: Record<string, string> = {
        accept:
          'application/rss+xml, application/atom+xml, application/xml, text/xml, application/json, text/html;q=0.9, */*;q=0.5',
        'user-agent': 'chancery-import/0.1',
      };
      if (validators.etag) headers['if-none-match'] = validators.etag;
      if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
      const response = await fetch(current, { redirect: 'manual', signal, headers });
      const etag = response.headers.get('etag');
      const lastModified = response.headers.get('last-modified');
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (!location) throw new ImportError(`HTTP ${response.status} redirect without a Location`);
        const next = new URL(location, current).toString();
        if (!isUrl(next)) throw new ImportError(`redirected to ${next}, which is not http(s)`);
        if (seen.has(next)) throw new ImportError(`redirect loop: ${next} redirects back to itself`);
        if (redirects + 1 > limits.maxRedirects) {
          throw new ImportError(`more than ${limits.maxRedirects} redirects; the last went to ${next}`);
        }
        current = next;
        continue;
      }
      if (response.status === 304) {
        await response.body?.cancel();
        return {
          status: 'not-modified',
          url: current,
          etag: etag ?? validators.etag,
          lastModified: lastModified ?? validators.lastModified,
        };
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new ImportError(
          `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
        );
      }
      const announced = Number(response.headers.get('content-length') ?? Number.NaN);
      if (announced > limits.maxBytes) {
        await response.body?.cancel();
        throw new ImportError(
          `the body is ${megabytes(announced)}; the limit is ${megabytes(limits.maxBytes)} (refused before reading it)`,
        );
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      if (response.body) {
        // The body as decompressed: a small gzip that inflates past the cap is stopped at the cap.
        for await (const chunk of response.body) {
          size += chunk.length;
          if (size > limits.maxBytes) {
            await response.body.cancel().catch(() => {});
            const encoding = response.headers.get('content-encoding');
            throw new ImportError(
              `the body is larger than ${megabytes(limits.maxBytes)}${encoding ? ` once decompressed (${encoding})` : ''}; the limit is ${megabytes(limits.maxBytes)}`,
            );
          }
          chunks.push(chunk);
        }
      }
      return {
        status: 'ok',
        url: current,
        bytes: Buffer.concat(chunks),
        contentType: response.headers.get('content-type'),
        etag,
        lastModified,
      };
    }
  } catch (error) {
    if (stop?.aborted) throw new FetchStopped(`stopped while fetching ${url}`);
    if (error instanceof ImportError) throw error;
    throw new ImportError(networkProblem(error, limits));
  }
}
