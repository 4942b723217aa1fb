// The reader in a real browser: Debian's Chromium, driven by playwright-core, against a real
// listening Chancery server (createServer on a seeded test database) that serves the app built
// from the current sources. Screenshots go to test-results/<engine>/.
//
// Without /usr/bin/chromium (or CHROMIUM_PATH) the suite is skipped with a loud message — except
// under CI=true, where a missing browser fails it (`.ci/run` installs Chromium).
import path from 'node:path';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { type ChanceryServer, createServer } from '@chancery/server/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  type Browser,
  buildApp,
  CHROMIUM,
  CI,
  haveChromium,
  launchBrowser,
  resultsDir,
} from './browser.ts';

const SEED = {
  article: 'tass-2024-10-24-russia-dprk-treaty',
  headline: 'Russia, North Korea strategic partnership treaty not directed against third countries',
  treaty: 'russia-dprk-comprehensive-strategic-partnership-treaty',
  rudenkoOnArticle4: 'Article 4 of the document is of particular importance',
};

if (!haveChromium && !CI) {
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!! SKIPPING the browser tests of apps/web: no Chromium at ${CHROMIUM}.\n` +
      '!! Install it with `apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH).\n' +
      `!! Under CI=true a missing browser fails the suite.\n${line}\n`,
  );
}

describe.skipIf(haveChromium || !CI)('the browser', () => {
  it('is installed (CI needs Chromium for the end-to-end tests)', () => {
    throw new Error(
      `No Chromium at ${CHROMIUM}: .ci/run installs it with apt-get; CHROMIUM_PATH points elsewhere.`,
    );
  });
});

describe.runIf(haveChromium).each(testEngines)('the reader on $name', (engine) => {
  let database: TestDatabase;
  let server: ChanceryServer;
  let base: string;
  let browser: Browser;
  /** Console errors, page errors and CSP violations seen by any page: none are expected. */
  let problems: string[];

  beforeAll(async () => {
    const appDir = await buildApp('app');
    database = await engine.open({ seed: true });
    server = await createServer({ database, webRoot: appDir });
    base = (await server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
    browser = await launchBrowser({
      base: () => base,
      shots: path.join(resultsDir, engine.name),
      timezoneId: 'Pacific/Honolulu', // far from UTC: days must still read as the record states them
    });
    problems = browser.problems;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.close();
  });

  const open = (pathname: string): Promise<Page> => browser.open(pathname);
  const shoot = (page: Page, name: string, fullPage = true) => browser.shoot(page, name, fullPage);

  it('reads the seed story, follows Rudenko’s statement to his page, then to the treaty’s Article 4', async () => {
    const page = await open('/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Latest articles');
    const teaser = page.getByRole('link', { name: SEED.headline });
    await teaser.waitFor();
    await shoot(page, '1-home');

    // The article: every paragraph, each statement highlighted where it was printed.
    await teaser.click();
    await page.waitForURL(`${base}/articles/${SEED.article}`);
    await page.getByRole('heading', { level: 1, name: SEED.headline }).waitFor();
    expect(await page.title()).toBe(`${SEED.headline} — Chancery`);
    const paragraphs = page.locator('p.paragraph');
    expect(await paragraphs.count()).toBeGreaterThanOrEqual(5);
    expect(await paragraphs.first().textContent()).toMatch(
      /^MOSCOW, October 24\. \/TASS\/\. The comprehensive/,
    );
    const marks = page.locator('mark.statement');
    expect(await marks.count()).toBe(4);
    expect(await page.locator('mark.statement-direct').count()).toBe(2);
    expect(await page.locator('mark.statement-indirect').count()).toBe(2);
    await expect
      .poll(() => page.locator('#statement-panel h2').textContent())
      .toBe('4 statements in this story');

    // Hovering previews a statement; clicking pins it, with speaker, kind and what it is about.
    const quote = marks.filter({ hasText: SEED.rudenkoOnArticle4 });
    await quote.hover();
    await expect.poll(() => page.locator('#statement-panel h2').textContent()).toBe('Statement 2 of 4');
    await quote.click();
    await expect.poll(() => quote.getAttribute('aria-pressed')).toBe('true');
    expect(new URL(page.url()).hash).toMatch(/^#statement-/);
    const panel = page.locator('#statement-panel');
    expect(await panel.locator('dd').nth(0).textContent()).toBe(
      'Andrey RudenkoRussian Deputy Foreign Minister',
    );
    expect(await panel.locator('dd').nth(1).textContent()).toBe('Direct quote “said”');
    expect(await panel.locator('dd').nth(3).textContent()).toContain(
      'Article 4 of the Russia–DPRK Comprehensive Strategic Partnership Treaty',
    );
    await page.mouse.move(1200, 20);
    await shoot(page, '2-article-statement-pinned');
    expect(await accessibilityViolations(page)).toEqual([]);

    // On to the speaker: his roles and his statements over time.
    await panel.getByRole('link', { name: 'Andrey Rudenko' }).click();
    await page.waitForURL(`${base}/actors/andrey-rudenko`);
    const h1 = page.getByRole('heading', { level: 1, name: 'Andrey Rudenko' });
    await h1.waitFor();
    // After an in-app navigation the new page's heading has the focus.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await page.locator('section.roles li').first().textContent()).toContain(
      'Deputy Foreign Minister of Russia · Russia',
    );
    const cards = page.locator('.timeline .statement-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(4);
    expect(await page.locator('#actor-statements').textContent()).toBe('Statements (4)');
    expect(await page.locator('.timeline-day').first().textContent()).toBe('24 October 2024');
    await shoot(page, '3-actor');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The statement's "about" leads to the treaty's Article 4, which refers to UN Charter Article 51.
    const card = cards.filter({ hasText: SEED.rudenkoOnArticle4 });
    await card.getByRole('link', { name: /^Article 4/ }).click();
    await page.waitForURL(`${base}/treaties/${SEED.treaty}/provisions/4`);
    await page.getByRole('heading', { level: 1, name: 'Article 4' }).waitFor();
    expect(await page.locator('.lede').textContent()).toBe(
      'Mutual military assistance, in line with Article 51 of the UN Charter, if one party is subjected to an armed attack by any state.',
    );
    const refersTo = page.locator('.provision-links').filter({ hasText: 'Refers to' });
    expect(await refersTo.getByRole('link').textContent()).toBe('Article 51 of the UN Charter');
    await page.locator('#provision-statements').filter({ hasText: '(2)' }).waitFor();
    expect(await page.locator('.statement-card').count()).toBe(2);
    await shoot(page, '4-provision');
    expect(await accessibilityViolations(page)).toEqual([]);

    // …and Article 51 knows what refers to it; Back returns to Article 4.
    await refersTo.getByRole('link').click();
    await page.waitForURL(`${base}/treaties/charter-of-the-united-nations/provisions/51`);
    await page.getByRole('heading', { level: 1, name: 'Article 51' }).waitFor();
    const referencedBy = page.locator('.provision-links').filter({ hasText: 'Referred to by' });
    expect(await referencedBy.getByRole('link').textContent()).toBe(
      'Article 4 of the Russia–DPRK Comprehensive Strategic Partnership Treaty',
    );
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Article 4' }).waitFor();

    // The treaty: parties, status, the timeline and its provisions.
    await page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: /Russia–DPRK/ })
      .click();
    await page.waitForURL(`${base}/treaties/${SEED.treaty}`);
    await page.locator('h1').filter({ hasText: 'Treaty on Comprehensive Strategic Partnership' }).waitFor();
    expect(await page.locator('.page-heading .badge').textContent()).toBe('Pending ratification');
    expect(await page.locator('.facts-inline li').allTextContents()).toEqual(['Russia', 'North Korea']);
    const action = page.locator('.action').first();
    expect(await action.locator('.action-date').textContent()).toBe('14 October 2024');
    expect(await action.locator('h3').textContent()).toBe('Submitted for ratification');
    expect(await action.locator('.action-who').textContent()).toBe('by Vladimir Putin to State Duma');
    const article4 = page.locator('#provision-4');
    expect(await article4.locator('.provision-links a').textContent()).toBe('Article 51 of the UN Charter');
    expect(await article4.locator('.quote').count()).toBe(2);
    await shoot(page, '5-treaty');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A link far down a page opens the next page at its top, with its heading focused.
    const onward = article4.locator('.provision-links a');
    await onward.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await onward.click();
    await page.getByRole('heading', { level: 1, name: 'Article 51' }).waitFor();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(problems).toEqual([]);
  });

  it('works from the keyboard: skip link, statements in reading order, into the panel and on', async () => {
    const page = await open(`/articles/${SEED.article}`);
    await page.getByRole('heading', { level: 1, name: SEED.headline }).waitFor();

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    // Tab walks the article's links and statements in reading order; a focused statement is pinned.
    const focusedStatement = () =>
      page.evaluate(() => document.activeElement?.getAttribute('data-statement-id') ?? null);
    const visited: string[] = [];
    for (let i = 0; i < 30 && visited.length < 2; i++) {
      await page.keyboard.press('Tab');
      const id = await focusedStatement();
      if (id && !visited.includes(id)) visited.push(id);
    }
    expect(visited).toHaveLength(2);
    const focused = page.locator(`mark[data-statement-id="${visited[1]}"]`);
    expect(await focused.textContent()).toContain(SEED.rudenkoOnArticle4);
    expect(await focused.getAttribute('aria-pressed')).toBe('true');
    expect(await focused.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    await shoot(page, '6-keyboard-focus', false);

    // Enter moves into the panel; Tab reaches the speaker; Escape goes back to the statement.
    await page.keyboard.press('Enter');
    expect(
      await settled(() => page.evaluate(() => document.activeElement?.id), 'statement-panel-heading'),
    ).toBe('statement-panel-heading');
    await page.keyboard.press('Tab'); // Close
    await page.keyboard.press('Tab');
    expect(
      await settled(() => page.evaluate(() => document.activeElement?.textContent), 'Andrey Rudenko'),
    ).toBe('Andrey Rudenko');
    await page.keyboard.press('Escape');
    expect(await settled(focusedStatement, visited[1])).toBe(visited[1]);
    // Escape on the statement unpins it; the panel lists the story's statements again.
    await page.keyboard.press('Escape');
    expect(await settled(() => focused.getAttribute('aria-pressed'), 'false')).toBe('false');
    expect(await page.locator('#statement-panel h2').textContent()).toBe('4 statements in this story');

    // From the list, Enter on an entry pins that statement and focuses it in the text.
    await page.locator('.index-item').nth(3).focus();
    await page.keyboard.press('Enter');
    expect(await focusedStatement()).toBe(
      await page.locator('mark.statement').nth(3).getAttribute('data-statement-id'),
    );
    expect(problems).toEqual([]);
  });

  it('has a URL for every page, and says so when there is nothing there', async () => {
    // A statement's own link pins it on arrival.
    const quote = await open(`/articles/${SEED.article}`);
    const id = await quote.locator('mark.statement').nth(1).getAttribute('data-statement-id');
    const page = await open(`/articles/${SEED.article}#statement-${encodeURIComponent(id!)}`);
    await expect.poll(() => page.locator('mark.statement').nth(1).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#statement-panel h2').textContent()).toBe('Statement 2 of 4');

    for (const [pathname, heading] of [
      [`/treaties/${SEED.treaty}/provisions/4`, 'Article 4'],
      ['/actors/north-korea', 'North Korea'],
      ['/actors?kind=STATE', 'People, states & organizations'],
      ['/treaties', 'Treaties'],
      ['/search', 'Search'],
    ] as const) {
      await open(pathname);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      if (pathname === '/treaties')
        await page.getByRole('link', { name: 'Charter of the United Nations' }).waitFor();
      if (pathname.startsWith('/actors?')) {
        await page.getByRole('link', { name: 'North Korea' }).waitFor();
        expect(await page.getByRole('radio', { name: 'States' }).isChecked()).toBe(true);
        expect(await page.getByRole('link', { name: 'Andrey Rudenko' }).count()).toBe(0);
      }
    }

    await open('/articles/no-such-story');
    await page.getByRole('heading', { level: 1, name: 'No article here' }).waitFor();
    await shoot(page, '7-not-found');
    await open('/treaties/no-such-treaty/provisions/4');
    await page.getByRole('heading', { level: 1, name: 'No treaty here' }).waitFor();
    await open('/nowhere/at/all');
    await page.getByRole('heading', { level: 1, name: 'No page here' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('shows loading and error states, and recovers when asked to try again', async () => {
    const page = await open('/');
    await page.getByRole('link', { name: SEED.headline }).waitFor();

    // Slow API: the page says it is loading.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/graphql', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('link', { name: 'Treaties', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Loading treaties…' }).waitFor();
    await shoot(page, '8-loading', false);
    release();
    await page.getByRole('link', { name: 'Charter of the United Nations' }).waitFor();
    await page.unroute('**/graphql');

    // API unreachable: an error the reader can act on, then Try again.
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    await page.getByRole('link', { name: 'People & organizations' }).click();
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: 'The Chancery API cannot be reached' }).waitFor();
    await shoot(page, '9-error', false);
    await page.unroute('**/graphql');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('link', { name: 'Andrey Rudenko' }).waitFor();
    // The failed requests were the test's doing: only those console errors are expected.
    problems.splice(0, problems.length, ...problems.filter((p) => !p.includes('ERR_CONNECTION_REFUSED')));
    expect(problems).toEqual([]);
  });

  it('searches, with facets that narrow the results and stay in the URL', async () => {
    const page = await open('/');
    await page.getByRole('link', { name: SEED.headline }).waitFor();
    const box = page.getByRole('search', { name: 'Site' }).getByRole('searchbox');
    await box.fill('Article 51');
    await box.press('Enter');
    await page.waitForURL(`${base}/search?q=Article+51`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Results for' }).waitFor();
    const count = page.locator('#results-heading');
    await count.waitFor();
    const all = Number((await count.textContent())!.split(' ')[0]);
    expect(all).toBeGreaterThan(1);
    const types = page.getByRole('navigation', { name: 'Filter by type' });
    expect(await types.locator('.facet-item').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Statements\d+ results$/)]),
    );
    await shoot(page, '10-search');
    expect(await accessibilityViolations(page)).toEqual([]);

    await types.getByRole('link', { name: /^Statements/ }).click();
    await page.waitForURL(/type=STATEMENT/);
    await expect
      .poll(async () => (await page.locator('.hit-type').allTextContents()).length)
      .toBeGreaterThan(0);
    for (const label of await page.locator('.hit-type').allTextContents())
      expect(label).toMatch(/^Statement/);
    expect(await types.locator('[aria-current]').textContent()).toMatch(/^Statements/);
    expect(await page.locator('mark.hit-match').count()).toBeGreaterThan(0);

    // Nothing found is said plainly.
    await open('/search?q=zzyzx');
    await page.getByText('Nothing matches').waitFor();
    expect(problems).toEqual([]);
  });

  it('pages through an actor’s statements, newest or oldest first', async () => {
    const page = await open('/');
    // Two statements a page, so the seed's four take two pages (the app asks for ten).
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON();
      if (body?.operationName !== 'ReaderStatements') return route.continue();
      await route.continue({
        postData: JSON.stringify({ ...body, variables: { ...body.variables, first: 2 } }),
      });
    });
    try {
      await open('/actors/andrey-rudenko?order=oldest');
      const cards = page.locator('.timeline .statement-card');
      await page.getByText('Showing 2 of 4 statements').waitFor();
      expect(await cards.count()).toBe(2);
      expect(await page.getByRole('link', { name: 'Oldest first' }).getAttribute('aria-current')).toBe(
        'true',
      );
      await page.getByRole('button', { name: 'Show more statements' }).click();
      await page.getByText('Showing 4 of 4 statements').waitFor();
      expect(await cards.count()).toBe(4);
      expect(await page.getByRole('button', { name: 'Show more statements' }).count()).toBe(0);
      // Another order is another URL, read from its first page again.
      await page.getByRole('link', { name: 'Newest first' }).click();
      await page.waitForURL(`${base}/actors/andrey-rudenko`);
      await page.getByText('Showing 2 of 4 statements').waitFor();
    } finally {
      await page.unroute('**/graphql');
    }
    expect(problems).toEqual([]);
  });

  it('fits a phone screen: one column, the pinned statement in a sheet at the bottom', async () => {
    const page = await open(`/articles/${SEED.article}`);
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const quote = page.locator('mark.statement').filter({ hasText: SEED.rudenkoOnArticle4 });
      await quote.click();
      const panel = page.locator('#statement-panel');
      expect(await settled(() => panel.evaluate((el) => getComputedStyle(el).position), 'fixed')).toBe(
        'fixed',
      );
      expect(await panel.getByRole('link', { name: 'Andrey Rudenko' }).isVisible()).toBe(true);
      // Nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shoot(page, '11-phone-article', false);
      await panel.getByRole('button', { name: /Close/ }).click();
      expect(await settled(() => panel.evaluate((el) => getComputedStyle(el).position), 'static')).toBe(
        'static',
      );
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    expect(problems).toEqual([]);
  });

  it('is served by the API server: hashed assets cached, page routes answered with the app', async () => {
    const html = await fetch(`${base}/articles/${SEED.article}`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await html.text())?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(base + script);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${base}/assets/nothing.js`)).status).toBe(404);
    const api = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ article(slug: "tass-2024-10-24-russia-dprk-treaty") { headline } }' }),
    });
    expect((await api.json()).data.article.headline).toBe(SEED.headline);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

/**
 * Reads a value until the page shows the one expected or 5 s pass, then returns the last reading:
 * React moves focus and applies styles a frame after a key press or click, so an immediate read races it.
 */
async function settled<T>(read: () => Promise<T>, expected: T): Promise<T> {
  const deadline = Date.now() + 5_000;
  let value = await read();
  while (value !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await read();
  }
  return value;
}
