// The editorial workspace in a real browser (Debian's Chromium, playwright-core) against a real
// listening server on a seeded database, as reader.test.ts does: an editor signs in with a token,
// fixes a misattributed statement by keyboard alone, reviews the rest, publishes the story, signs
// out; readers then see the fix. One engine (the embedded one): the API's own suites cover both.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTokens, type TestDatabase, testEngines } from '@chancery/db/testing';
import { type ChanceryServer, createServer } from '@chancery/server/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  type Browser,
  buildApp,
  haveChromium,
  launchBrowser,
  resultsDir,
  webDir,
} from './browser.ts';

const ARTICLE = 'tass-2024-10-24-russia-dprk-treaty';
const ARTICLE_4 = 'Article 4 of the document is of particular importance';
const STORY = path.join(
  webDir,
  '../../packages/domain/fixtures/corpus/dev/01-arvand-meridia-border-talks.txt',
);

describe.runIf(haveChromium)('the editorial workspace', () => {
  const engine = testEngines[0]!;
  let database: TestDatabase;
  let server: ChanceryServer;
  let base: string;
  let browser: Browser;
  let tokens: Record<'reader' | 'editor' | 'admin', string>;
  let putin: { id: string; name: string };

  /** A GraphQL request from the test itself, as a script with a token would make it. */
  async function api(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
    cookie?: string,
  ) {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(cookie ? { cookie } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data?: any;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
  }

  beforeAll(async () => {
    // Its own build: reader.test.ts may be building into test-results/app in another worker.
    const appDir = await buildApp('app-editor');
    database = await engine.open({ seed: true });
    tokens = await createTokens(database);
    server = await createServer({ database, webRoot: appDir });
    base = (await server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');

    // The seed story as the importer's rules might have left it: a draft whose Article 4 quote is
    // given to the wrong speaker with little confidence, and another quote attributed rightly.
    const { data } = await api(
      `query ($slug: String!) { article(slug: $slug) { id version statements(first: 10) { nodes { id version text } } }
        actors(first: 20) { nodes { id name } } }`,
      { slug: ARTICLE },
      tokens.editor,
    );
    const article = data.article;
    putin = data.actors.nodes.find((a: { name: string }) => a.name === 'Vladimir Putin');
    const [wrong, right] = [
      article.statements.nodes.find((s: { text: string }) => s.text.startsWith(ARTICLE_4)),
      article.statements.nodes.find((s: { text: string }) => !s.text.startsWith(ARTICLE_4)),
    ];
    const update = `mutation ($id: ID!, $v: Int!, $input: UpdateStatementInput!) {
      updateStatement(id: $id, expectedVersion: $v, input: $input) { __typename } }`;
    for (const [statement, input] of [
      [wrong, { speakerId: putin.id, attribution: { method: 'RULES', confidence: 0.35 } }],
      [right, { attribution: { method: 'RULES', confidence: 0.9 } }],
    ] as const) {
      const result = await api(update, { id: statement.id, v: statement.version, input }, tokens.editor);
      expect(result.data?.updateStatement.__typename).toBe('StatementPayload');
    }
    const unpublished = await api(
      `mutation ($id: ID!, $v: Int!) { unpublishArticle(id: $id, expectedVersion: $v) { __typename } }`,
      { id: article.id, v: article.version },
      tokens.editor,
    );
    expect(unpublished.data?.unpublishArticle.__typename).toBe('ArticlePayload');

    browser = await launchBrowser({
      base: () => base,
      shots: path.join(resultsDir, 'editor'),
      // A refused sign-in is answered 401/403, which the browser logs as a failed resource.
      expected: /status of 40[13]/,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.close();
  });

  it('signs in, fixes a misattributed quote by keyboard, reviews the rest, publishes, signs out; readers see the fix', async () => {
    // No session: the sign-in form, and no editor data even when asked for directly.
    const { open, shoot, context, problems } = browser;
    const page = await open('/editor/review');
    await page.getByRole('heading', { level: 1, name: 'Sign in to edit' }).waitFor();
    expect(await page.locator('.review-queue').count()).toBe(0);
    const draftsSeen = await page.evaluate(async () => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ articles(filter: { status: DRAFT }) { totalCount } }' }),
      });
      return ((await response.json()) as any).data.articles.totalCount;
    });
    expect(draftsSeen).toBe(0);

    // A reader's token cannot edit, and says so.
    const field = page.getByLabel('API token');
    await field.fill(tokens.reader);
    await field.press('Enter');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('This token cannot edit: "reader" has the reader role. Sign in with an editor or admin token.');
    expect(await field.inputValue()).toBe('');
    await shoot(page, '1-sign-in-refused');
    expect(await accessibilityViolations(page)).toEqual([]);

    // An editor's token opens a session held in an HttpOnly, SameSite=Strict cookie; the page keeps no token.
    await field.fill(tokens.editor);
    await field.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Review statements' }).waitFor();
    const [cookie] = await context.cookies(base);
    expect(cookie).toMatchObject({
      name: 'chancery_session',
      httpOnly: true,
      sameSite: 'Strict',
      secure: false,
    });
    expect(
      await page.evaluate(
        (token) =>
          localStorage.length +
          sessionStorage.length +
          (document.documentElement.outerHTML.includes(token) ? 1 : 0),
        tokens.editor,
      ),
    ).toBe(0);

    // The queue: least confident first, the paragraph with the span highlighted.
    const rows = page.locator('.review-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    const first = rows.first();
    expect(await first.locator('.review-speaker').textContent()).toBe(
      'Vladimir Putin · Russian Deputy Foreign Minister',
    );
    expect(await first.locator('.confidence').textContent()).toBe('35% sure');
    expect(await first.locator('mark').textContent()).toMatch(new RegExp(`^${ARTICLE_4}`));
    await expect.poll(() => first.getAttribute('aria-current')).toBe('true');
    await shoot(page, '2-review-queue');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The draft's preview, read before the fix (the app keeps it): the Article 4 quote is Putin's.
    await page.getByRole('link', { name: 'Drafts', exact: true }).click();
    await page.getByRole('link', { name: /^Preview “Russia, North Korea/ }).click();
    const previewed = page.locator('mark.statement').filter({ hasText: ARTICLE_4 });
    await previewed.click();
    const previewSpeaker = page.locator('#statement-panel dd').first();
    await expect.poll(() => previewSpeaker.textContent()).toMatch(/^Vladimir Putin/);
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Drafts' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Review statements' }).waitFor();
    await expect.poll(() => first.getAttribute('aria-current')).toBe('true');

    // Keyboard only: e edits, the speaker is picked by typing, Enter picks, Enter saves.
    await page.keyboard.press('e');
    const speaker = first.getByRole('combobox', { name: 'Speaker' });
    await expect.poll(() => speaker.evaluate((input) => input === document.activeElement)).toBe(true);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Rudenko');
    await first.getByRole('option', { name: /^Andrey Rudenko/ }).waitFor();
    await shoot(page, '3-edit-speaker');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await expect.poll(() => speaker.inputValue()).toBe('Andrey Rudenko');
    // The span moves a word at a time from the keyboard too, checked as it moves.
    const spanStatus = first.locator('[aria-live="polite"]');
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab']) await page.keyboard.press(key);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('End: a word earlier');
    await page.keyboard.press('Enter');
    await expect.poll(() => spanStatus.textContent()).toMatch(/^New span: “Article 4 .* in a state of”\.$/);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => spanStatus.textContent()).toBe('The span is unchanged.');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Save');
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/^Saved: “Article 4/);

    // The statement that is right takes one key; a deletion can be undone.
    await expect.poll(() => rows.first().getAttribute('aria-current')).toBe('true');
    await page.keyboard.press('d');
    await expect.poll(() => rows.count()).toBe(0);
    await page.keyboard.press('u');
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().getAttribute('aria-current')).toBe('true');
    await page.keyboard.press('a');
    await expect.poll(() => rows.count()).toBe(0);
    await page.getByText('Nothing to review here').waitFor();

    // Publish the story from the drafts.
    await page.getByRole('link', { name: 'Drafts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Drafts' }).waitFor();
    const publish = page.getByRole('button', { name: /^Publish “Russia, North Korea/ });
    await publish.waitFor();
    await shoot(page, '4-drafts');
    expect(await accessibilityViolations(page)).toEqual([]);
    await publish.click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toMatch(/^Published: “Russia, North Korea/);
    // Every list shown is fresh without a reload: the writes invalidated what the app had read.
    // Both lists of this page: the story moved from the drafts to the published.
    await page.getByRole('button', { name: /^Withdraw “Russia, North Korea/ }).waitFor();
    expect(await page.getByRole('button', { name: /^Publish “Russia, North Korea/ }).count()).toBe(0);
    // The preview read before the fix shows the fix.
    await page.getByRole('link', { name: /^Preview “Russia, North Korea/ }).click();
    await previewed.click();
    await expect.poll(() => previewSpeaker.textContent()).toMatch(/^Andrey Rudenko/);
    await page.goBack();
    // The review queue, read as it was first opened: the statements accepted since are not back in
    // it, and its list of stories no longer calls this one a draft.
    await page.getByRole('link', { name: 'Review', exact: true }).click();
    await page.getByText('Nothing to review here').waitFor();
    expect(await rows.count()).toBe(0);
    await expect
      .poll(() => page.getByLabel('Story').locator('option').allTextContents())
      .toContainEqual(expect.stringMatching(/^Russia, North Korea[^()]*$/));

    // Import a story: the dry run shows what the rules found in place, then it lands in its review,
    // which the keyboard clears one key a statement.
    await page.getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import a story' }).waitFor();
    await page.getByLabel('Story text').fill(readFileSync(STORY, 'utf8'));
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('heading', { level: 2, name: /^Dry run: “Arvand and Meridia/ }).waitFor();
    const found = await page.locator('.dry-run-statements li').count();
    expect(found).toBeGreaterThanOrEqual(3);
    expect(await page.locator('.dry-run-text mark').count()).toBe(found);
    await shoot(page, '5-import-dry-run');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Import as draft' }).click();
    await page.waitForURL(/\/editor\/review\?article=/);
    await rows.first().waitFor();
    const toReview = await rows.count();
    expect(toReview).toBeGreaterThan(0);

    // Someone else changes the first statement meanwhile: accepting it is refused, saying what changed.
    const articleId = new URL(page.url()).searchParams.get('article');
    const queued = await api(
      `query ($articleId: ID!) { statements(filter: { articleId: $articleId, attributionMethod: RULES }, orderBy: CONFIDENCE_ASC, first: 1) { nodes { id version speaker { name } } } }`,
      { articleId },
      tokens.editor,
    );
    const [meanwhile] = queued.data.statements.nodes;
    const changed = await api(
      `mutation ($id: ID!, $v: Int!, $speakerId: ID!) { updateStatement(id: $id, expectedVersion: $v, input: { speakerId: $speakerId }) { __typename } }`,
      { id: meanwhile.id, v: meanwhile.version, speakerId: putin.id },
      tokens.admin,
    );
    expect(changed.data?.updateStatement.__typename).toBe('StatementPayload');
    await expect.poll(() => rows.first().getAttribute('aria-current')).toBe('true');
    await page.keyboard.press('a');
    await expect
      .poll(() => page.locator('.notice-conflict').textContent())
      .toContain(`Now: the speaker is Vladimir Putin (was ${meanwhile.speaker.name})`);
    await shoot(page, '6-conflict');
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => rows.first().locator('.review-speaker').textContent()).toMatch(/^Vladimir Putin/);

    // Nobody stored said it: the editor names a new person, made when the edit is saved.
    await expect.poll(() => rows.first().getAttribute('aria-current')).toBe('true');
    await page.keyboard.press('e');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Ines Kovac');
    await rows
      .first()
      .getByRole('option', { name: /^New person: Ines Kovac/ })
      .waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count()).toBe(toReview - 1);
    const said = await api(
      `query ($id: ID!) { statement(id: $id) { speaker { name kind } attribution { method } } }`,
      { id: meanwhile.id },
      tokens.editor,
    );
    expect(said.data.statement).toEqual({
      speaker: { name: 'Ines Kovac', kind: 'PERSON' },
      attribution: { method: 'MANUAL' },
    });

    for (let left = toReview - 1; left > 0; left--) {
      await expect.poll(() => rows.first().getAttribute('aria-current')).toBe('true');
      await page.keyboard.press('a');
      await expect.poll(() => rows.count()).toBe(left - 1);
    }

    // An import named someone already stored a little differently: the duplicate is found, and merged
    // after a preview of what moves.
    const twin = await api(
      `mutation { createActor(input: { name: "Andrei Rudenko", kind: PERSON }) { __typename } }`,
      {},
      tokens.editor,
    );
    expect(twin.data?.createActor.__typename).toBe('ActorPayload');
    await page.getByRole('link', { name: 'Duplicates' }).click();
    await page.getByRole('heading', { level: 1, name: 'Duplicate actors' }).waitFor();
    const pair = page
      .locator('li')
      .filter({ has: page.getByRole('heading', { name: 'Andrei Rudenko and Andrey Rudenko' }) });
    expect(await pair.locator('.merge-preview p').first().textContent()).toBe(
      'Into “Andrey Rudenko”: moves 0 statements, 0 treaties, 0 stories; “Andrei Rudenko” becomes an alias; “Andrei Rudenko”’s address leads to it.',
    );
    await shoot(page, '7-duplicates');
    expect(await accessibilityViolations(page)).toEqual([]);
    await pair.getByRole('button', { name: 'Merge “Andrei Rudenko” into “Andrey Rudenko”' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toBe('Merged “Andrei Rudenko” into “Andrey Rudenko”.');
    const merged = await api(`{ actor(slug: "andrei-rudenko") { name aliases } }`);
    expect(merged.data.actor.name).toBe('Andrey Rudenko');
    expect(merged.data.actor.aliases).toContain('Andrei Rudenko');

    // Signing out ends the session on the server: the cookie it held no longer edits anything.
    const held = `chancery_session=${cookie!.value}`;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to edit' }).waitFor();
    expect(await context.cookies(base)).toEqual([]);
    const after = await api(
      'mutation { deleteArticle(id: "x", expectedVersion: 1) { __typename } }',
      {},
      undefined,
      held,
    );
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await page.goto(`${base}/editor/drafts`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to edit' }).waitFor();

    // Readers see the published story with the fix.
    await page.goto(`${base}/articles/${ARTICLE}`);
    const quote = page.locator('mark.statement').filter({ hasText: ARTICLE_4 });
    await quote.click();
    await expect
      .poll(() => page.locator('#statement-panel dd').first().textContent())
      .toMatch(/^Andrey Rudenko/);
    await shoot(page, '8-article-fixed');
    expect(problems).toEqual([]);
  });
});
