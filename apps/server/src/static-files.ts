// Serves the reader web app (apps/web/dist) next to the API: files under the root by GET and HEAD,
// index.html for page routes the app handles itself (/articles/…, /treaties/…), and 404 for
// anything else. Paths are resolved inside the root only: encoded or not, `..`, backslashes, NUL
// bytes and dotfiles never reach the file system. Vite's hashed assets are cached for a year;
// everything else is revalidated (ETag), so a new build shows up on the next load.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

export type StaticFilesOptions = {
  /** The directory to serve (it must hold index.html for the page-route fallback). */
  root: string;
  /** The page every app route gets (default index.html). */
  fallback?: string;
  /** Paths under this prefix are content-hashed and never change (default /assets/). */
  immutablePrefix?: string;
};

export type StaticFileHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** The page's own scripts, styles, fonts and images, and the API on the same origin; nothing inline. */
const HTML_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
};

export function createStaticFileHandler(options: StaticFilesOptions): StaticFileHandler {
  const root = path.resolve(options.root);
  const fallback = options.fallback ?? 'index.html';
  const immutablePrefix = options.immutablePrefix ?? '/assets/';
  // Resolved once: symlinks inside the root must not lead out of it.
  const realRoot = realpath(root).catch(() => root);

  return async function serveStatic(req, res, url) {
    res.setHeader('x-content-type-options', 'nosniff');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendText(
        req,
        res,
        405,
        `${req.method} is not allowed here: the web app takes GET and HEAD; the API is at /graphql.`,
      );
    }
    const relative = safeRelativePath(url.pathname);
    if (relative === null) return sendText(req, res, 400, 'Bad path.');

    const file = relative === '' ? null : await fileInside(await realRoot, relative);
    if (file) {
      const immutable = url.pathname.startsWith(immutablePrefix);
      return sendFile(req, res, file, immutable ? IMMUTABLE : REVALIDATE);
    }
    // A page route (no file extension) is the app's to resolve: hand it index.html, which shows
    // the page or the app's own "not found". A missing file (with an extension) is a real 404.
    if (relative === '' || !path.posix.extname(relative)) {
      const page = await fileInside(await realRoot, fallback);
      if (page) return sendFile(req, res, page, REVALIDATE);
    }
    return sendText(req, res, 404, `Not found: ${url.pathname.slice(0, 100)}`);
  };
}

/**
 * The URL path as a relative POSIX path inside the root ('' for the root itself), or null when
 * it is malformed or tries to leave the root or reach a dotfile.
 */
export function safeRelativePath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  for (const segment of segments) {
    // `..` and `.` (and any dotfile: .env, .git) are refused rather than normalised away.
    if (segment.startsWith('.')) return null;
  }
  return segments.join('/');
}

type FoundFile = { path: string; size: number; mtimeMs: number };

/** The regular file at root/relative, if there is one and it really is inside the root. */
async function fileInside(root: string, relative: string): Promise<FoundFile | null> {
  const candidate = path.resolve(root, relative);
  if (candidate !== root && !candidate.startsWith(root + path.sep)) return null;
  try {
    const real = await realpath(candidate);
    if (real !== root && !real.startsWith(root + path.sep)) return null;
    const info = await stat(real);
    if (!info.isFile()) return null;
    return { path: real, size: info.size, mtimeMs: info.mtimeMs };
  } catch {
    return null;
  }
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: FoundFile, cacheControl: string) {
  const type = CONTENT_TYPES[path.extname(file.path).toLowerCase()] ?? 'application/octet-stream';
  const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
  res.setHeader('content-type', type);
  res.setHeader('cache-control', cacheControl);
  res.setHeader('etag', etag);
  res.setHeader('last-modified', new Date(file.mtimeMs).toUTCString());
  if (type.startsWith('text/html')) {
    for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) res.setHeader(name, value);
  }
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('content-length', String(file.size));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(file.path), res);
  } catch (error) {
    // The client went away mid-file: nothing to answer. Anything else, the router logs.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  }
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const weak = (tag: string) => tag.trim().replace(/^W\//, '');
  return header === '*' || header.split(',').some((tag) => weak(tag) === weak(etag));
}

function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  const body = Buffer.from(`${text}\n`);
  res.setHeader('content-length', String(body.length));
  res.end(req.method === 'HEAD' ? undefined : body);
}
