// Editor sessions over HTTP: the web app's sign-in. `POST /auth/session` with `{"token": "chy_…"}`
// exchanges an editor's or admin's API token for a session cookie (HttpOnly, so page scripts never
// hold a credential; SameSite=Strict, so other sites' pages never send it; Secure over https);
// `GET /auth/session` says who is signed in; `DELETE /auth/session` signs out, ending the session
// in the database. The API then accepts the cookie as it accepts the bearer token (auth.ts), for
// requests no other site can make: JSON or preflighted, from this origin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ChanceryDb } from '@chancery/db/database';
import { endSession, findSession, openSession } from '@chancery/db/sessions';
import { isWellFormedToken, TOKEN_PREFIX, verifyToken } from '@chancery/db/tokens';
import { canWrite } from '@chancery/domain/viewer';
import { readBody } from './body.ts';
import { APPLICATION_JSON, parseMediaType } from './media.ts';
import { sendJson } from './respond.ts';

export const SESSION_COOKIE = 'chancery_session';
export const SESSION_PATH = '/auth/session';
/** How long a session lasts from sign-in: a working day. */
export const DEFAULT_SESSION_TTL_SECONDS = 12 * 60 * 60;
const MAX_SIGN_IN_BYTES = 4096;

type Headers = { get(name: string): string | undefined };

/** The session id of a `Cookie` header, if it carries ours. */
export function sessionIdFromCookies(header: string | undefined): string | null {
  if (!header) return null;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals > 0 && pair.slice(0, equals).trim() === SESSION_COOKIE) return pair.slice(equals + 1).trim();
  }
  return null;
}

/**
 * Why a request must not act with the session cookie it carries, or null. Browsers send a cookie
 * with any request to its site; these are the requests another site's page cannot make without
 * our consent (CORS, which we never grant): from no other origin, and with a non-simple content
 * type or a preflight header.
 */
export function cookieRequestRefusal(headers: Headers): string | null {
  if (fromAnotherSite(headers))
    return 'A request signed in by the session cookie must come from this site’s own pages.';
  const type = parseMediaType(headers.get('content-type') ?? '')?.essence;
  const simple = type === undefined || SIMPLE_TYPES.has(type);
  const preflighted =
    headers.get('apollo-require-preflight') !== undefined ||
    headers.get('x-apollo-operation-name') !== undefined;
  if (simple && !preflighted)
    return `A request signed in by the session cookie must be sent as ${APPLICATION_JSON} (or a GET with the apollo-require-preflight header), so that no other site can make it.`;
  return null;
}

/** The browser says the request comes from another site's page. */
function fromAnotherSite(headers: Headers): boolean {
  const origin = headers.get('origin');
  const host = headers.get('host');
  return (
    headers.get('sec-fetch-site') === 'cross-site' || Boolean(origin && host && originHost(origin) !== host)
  );
}

const SIMPLE_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function nodeHeaders(req: IncomingMessage): Headers {
  return {
    get: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

export function createSessionRoutes(options: { db: ChanceryDb; trustProxy: number; ttlSeconds?: number }) {
  const { db } = options;
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;

  /** Secure when the browser reached us over https, directly or through a trusted proxy. */
  function overHttps(req: IncomingMessage): boolean {
    if ((req.socket as TLSSocket).encrypted) return true;
    const forwarded = req.headers['x-forwarded-proto'];
    return (
      options.trustProxy > 0 && typeof forwarded === 'string' && forwarded.split(',')[0]?.trim() === 'https'
    );
  }

  function setCookie(req: IncomingMessage, res: ServerResponse, value: string, maxAge: number): void {
    const secure = overHttps(req) ? '; Secure' : '';
    res.setHeader(
      'set-cookie',
      `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`,
    );
  }

  async function signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (parseMediaType(req.headers['content-type'] ?? '')?.essence !== APPLICATION_JSON)
      return sendJson(res, 415, {
        error: `Sign in with a JSON body, {"token": "${TOKEN_PREFIX}…"}, sent as ${APPLICATION_JSON}.`,
      });
    const body = await readBody(req, MAX_SIGN_IN_BYTES);
    if (!body.ok) {
      res.setHeader('connection', 'close');
      return sendJson(res, body.problem === 'too-large' ? 413 : 400, {
        error: `The body must be UTF-8 JSON of at most ${MAX_SIGN_IN_BYTES} bytes: {"token": "${TOKEN_PREFIX}…"}.`,
      });
    }
    let token: unknown;
    try {
      token = (JSON.parse(body.text) as { token?: unknown } | null)?.token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token.trim() === '')
      return sendJson(res, 400, { error: `The body must be {"token": "${TOKEN_PREFIX}…"}: an API token.` });
    const trimmed = token.trim();
    if (!isWellFormedToken(trimmed))
      return sendJson(res, 401, {
        error: `That is not a Chancery API token (they start with ${TOKEN_PREFIX} and are ${TOKEN_PREFIX.length + 43} characters long); check it was copied whole.`,
      });
    const found = await verifyToken(db, trimmed);
    if (!found)
      return sendJson(res, 401, {
        error: 'That API token is unknown or has been revoked; ask an admin for a new one.',
      });
    if (!canWrite({ role: found.role, tokenName: found.name }))
      return sendJson(res, 403, {
        error: `This token cannot edit: ${JSON.stringify(found.name)} has the ${found.role} role. Sign in with an editor or admin token.`,
      });
    const { sessionId, session } = await openSession(db, { token: found, ttlSeconds });
    setCookie(req, res, sessionId, ttlSeconds);
    res.setHeader('cache-control', 'no-store');
    sendJson(res, 201, {
      session: { tokenName: session.name, role: session.role, expiresAt: session.expiresAt },
    });
  }

  async function current(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sessionId = sessionIdFromCookies(req.headers.cookie);
    const session = sessionId ? await findSession(db, sessionId) : null;
    res.setHeader('cache-control', 'no-store');
    sendJson(res, 200, {
      session: session ? { tokenName: session.name, role: session.role, expiresAt: session.expiresAt } : null,
    });
  }

  async function signOut(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sessionId = sessionIdFromCookies(req.headers.cookie);
    const ended = sessionId ? await endSession(db, sessionId) : false;
    setCookie(req, res, '', 0);
    sendJson(res, 200, { signedOut: ended });
  }

  /** Answers `/auth/session`. */
  return async function handleSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'GET') return current(req, res);
    if (method !== 'POST' && method !== 'DELETE') {
      res.setHeader('allow', 'GET, POST, DELETE');
      return sendJson(res, 405, {
        error: `${SESSION_PATH} takes POST (sign in), GET (who is signed in) and DELETE (sign out).`,
      });
    }
    // Signing in or out from another site's page (login CSRF, forced sign-out) is refused; a
    // sign-in must also be JSON (signIn), so that a plain form cannot post one.
    if (fromAnotherSite(nodeHeaders(req)))
      return sendJson(res, 403, { error: 'Sign in and out from this site’s own pages.' });
    return method === 'POST' ? signIn(req, res) : signOut(req, res);
  };
}
