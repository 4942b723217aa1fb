import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; text: string } | { ok: false; problem: 'too-large' | 'not-utf8' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a request body of at most `limit` bytes as strict UTF-8. A declared length over the limit
 * is refused before a byte is read; a body that grows past it stops being buffered there. Either
 * way the rest is left to Node to discard, and the caller answers with `Connection: close` (the
 * stream is not destroyed: that would take the socket, and the answer, with it).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    return Promise.resolve({ ok: false, problem: 'too-large' });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (!result.ok) req.resume();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish({ ok: false, problem: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = () => {
      try {
        finish({ ok: true, text: utf8.decode(Buffer.concat(chunks)) });
      } catch {
        finish({ ok: false, problem: 'not-utf8' });
      }
    };
    const onError = (error: Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
