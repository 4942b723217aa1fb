import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticFileHandler, safeRelativePath } from './static-files.ts';

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A raw request: the path goes out exactly as written (fetch would normalise `..` away). */
function send(
  port: number,
  rawPath: string,
  options: { method?: string; headers?: Record<string, string> } = {},
) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: rawPath, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the static file handler', () => {
  let dir: string;
  let root: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'chancery-static-'));
    root = path.join(dir, 'dist');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Reader</title>');
    writeFileSync(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(path.join(root, 'assets', 'index-AbC123.js'), 'console.log("app")');
    writeFileSync(path.join(root, 'assets', 'index-AbC123.css'), 'body{}');
    writeFileSync(path.join(root, 'assets', 'font-X1.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
    writeFileSync(path.join(root, '.env'), 'SECRET=1');
    writeFileSync(path.join(dir, 'secret.txt'), 'outside the root');
    symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
    const handler = createStaticFileHandler({ root });
    server = createServer((req, res) => {
      handler(req, res, new URL(req.url ?? '/', 'http://localhost')).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with the HTML security headers, revalidated on every load', async () => {
    const answer = await send(port, '/');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<title>Reader</title>');
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-cache');
    expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers page routes with index.html, so deep links work', async () => {
    for (const route of [
      '/articles/tass-2024-10-24-russia-dprk-treaty',
      '/treaties/x/provisions/4',
      '/search?q=a',
    ]) {
      const answer = await send(port, route);
      expect(answer.status, route).toBe(200);
      expect(answer.body).toContain('<title>Reader</title>');
    }
  });

  it('serves hashed assets with their content type, cached for a year', async () => {
    const js = await send(port, '/assets/index-AbC123.js');
    expect(js.status).toBe(200);
    expect(js.body).toBe('console.log("app")');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await send(port, '/assets/index-AbC123.css')).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    expect((await send(port, '/assets/font-X1.woff2')).headers['content-type']).toBe('font/woff2');
    const icon = await send(port, '/favicon.svg');
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing file with 404, not with the app', async () => {
    const answer = await send(port, '/assets/missing-123.js');
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await send(port, '/robots.txt')).status).toBe(404);
  });

  it('never leaves the root, however the path is written', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets%5c..%5c..%5csecret.txt',
      '/index.html%00.js',
      '/%E0%A4%A',
    ];
    for (const attempt of attempts) {
      const answer = await send(port, attempt);
      expect(answer.body, attempt).not.toContain('outside the root');
      expect([400, 404], attempt).toContain(answer.status);
    }
  });

  it('does not follow a symlink out of the root, nor serve dotfiles', async () => {
    const link = await send(port, '/assets/link.txt');
    expect(link.status).toBe(404);
    expect(link.body).not.toContain('outside the root');
    const dotfile = await send(port, '/.env');
    expect(dotfile.status).toBe(400);
    expect(dotfile.body).not.toContain('SECRET');
  });

  it('takes GET and HEAD only', async () => {
    const post = await send(port, '/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const head = await send(port, '/assets/index-AbC123.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String('console.log("app")'.length));
  });

  it('answers a matching If-None-Match with 304', async () => {
    const first = await send(port, '/');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await send(port, '/', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });
});

describe('safeRelativePath', () => {
  it('reads a URL path as a path inside the root, or refuses it', () => {
    expect(safeRelativePath('/')).toBe('');
    expect(safeRelativePath('/assets/a.js')).toBe('assets/a.js');
    expect(safeRelativePath('//assets///a.js')).toBe('assets/a.js');
    expect(safeRelativePath('/a%20b.txt')).toBe('a b.txt');
    expect(safeRelativePath('/../a')).toBeNull();
    expect(safeRelativePath('/a/./b')).toBeNull();
    expect(safeRelativePath('/%2e%2e/a')).toBeNull();
    expect(safeRelativePath('/a%5cb')).toBeNull();
    expect(safeRelativePath('/a%00b')).toBeNull();
    expect(safeRelativePath('/%zz')).toBeNull();
    expect(safeRelativePath('/.git/config')).toBeNull();
  });
});
