// What the reader downloads: the production build's entry script holds the operations the reader's
// pages run and no others — not the editor's (its own chunk, loaded on /editor), not the SDK's
// other documents, and no syntax trees. A guard against a change that brings them all back (an
// import of the full client, of @chancery/sdk/graphql's documents, or of the operation table).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './e2e/browser.ts';

const operationsIn = (code: string) =>
  [...code.matchAll(/\b(query|mutation|subscription) ([A-Z]\w*)[({]/g)].map((m) => `${m[1]} ${m[2]}`).sort();

describe('the production build', () => {
  let entry: string;
  let chunks: Map<string, string>;

  beforeAll(async () => {
    const outDir = await buildApp('bundle');
    const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    const script = html.match(/<script type="module"[^>]*src="\/(assets\/[^"]+\.js)"/)![1]!;
    const assets = path.join(outDir, 'assets');
    chunks = new Map(
      readdirSync(assets)
        .filter((file) => file.endsWith('.js'))
        .map((file) => [`assets/${file}`, readFileSync(path.join(assets, file), 'utf8')]),
    );
    entry = chunks.get(script)!;
  });

  it("the reader's script holds exactly the operations the reader's pages run", () => {
    expect(operationsIn(entry)).toEqual([
      'query Actor',
      'query Actors',
      'query Articles',
      'query ReaderArticle',
      'query ReaderSearch',
      'query ReaderStatements',
      'query ReaderTreaty',
      'query Treaties',
      'query TreatyProvision',
    ]);
    // Documents travel as text: no syntax tree, so neither graphql's AST nor the operation table.
    expect(entry).not.toContain('OperationDefinition');
  });

  it("the editor's operations are in a chunk of their own", () => {
    const editor = [...chunks.values()].find((code) => code.includes('query ReviewQueue('));
    expect(editor).toBeDefined();
    expect(editor).not.toBe(entry);
    expect(operationsIn(editor!)).toEqual(
      expect.arrayContaining(['mutation PublishArticle', 'mutation UpdateStatement', 'query SuggestActors']),
    );
  });
});
