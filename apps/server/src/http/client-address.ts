import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * The client's address. Behind `trustedProxies` proxies (CHANCERY_TRUST_PROXY), the address the
 * nearest of them saw is the last but `trustedProxies - 1` entry of X-Forwarded-For; entries further
 * left were written by the client and prove nothing. Without trusted proxies the header is ignored.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxies <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const candidate = forwarded[forwarded.length - trustedProxies] ?? forwarded[0];
  return candidate && isIP(candidate) ? candidate : peer;
}
