// What the browser suites share: Debian's Chromium driven by playwright-core, the app built from
// the current sources, opening pages while recording what went wrong in them, screenshots and
// axe-core's WCAG checks.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CI = process.env.CI === 'true';
export const haveChromium = existsSync(CHROMIUM);

export const webDir = fileURLToPath(new URL('../../', import.meta.url));
export const resultsDir = path.join(webDir, 'test-results');

/**
 * Builds the app for production from the current sources into test-results/<name> (never the
 * served dist/), once per name: suites in other workers build into folders of their own. Vitest
 * sets NODE_ENV=test, which would give React's development build.
 */
const builds = new Map<string, Promise<string>>();
export function buildApp(name: string): Promise<string> {
  const outDir = path.join(resultsDir, name);
  let built = builds.get(outDir);
  if (!built) {
    built = (async () => {
      const nodeEnv = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      try {
        await build({
          root: webDir,
          configFile: path.join(webDir, 'vite.config.ts'),
          mode: 'production',
          logLevel: 'warn',
          build: { outDir, emptyOutDir: true, sourcemap: false },
        });
      } finally {
        process.env.NODE_ENV = nodeEnv;
      }
      return outDir;
    })();
    builds.set(outDir, built);
  }
  return built;
}

export type Browser = {
  context: BrowserContext;
  /** Opens a page of the app in the one tab, recording its console errors and page errors. */
  open(pathname: string): Promise<Page>;
  /** Console errors, page errors and CSP violations seen by any page. */
  problems: string[];
  /** A screenshot (of the whole page unless `fullPage` is false) into the `shots` folder. */
  shoot(page: Page, name: string, fullPage?: boolean): Promise<void>;
  close(): Promise<void>;
};

export async function launchBrowser(options: {
  base: () => string;
  shots: string;
  timezoneId?: string;
  /** Console errors that are expected (a refused request the page handles). */
  expected?: RegExp;
}): Promise<Browser> {
  mkdirSync(options.shots, { recursive: true });
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'chancery-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: options.timezoneId,
    reducedMotion: 'reduce',
  });
  const problems: string[] = [];
  return {
    context,
    problems,
    async open(pathname) {
      const page = context.pages()[0] ?? (await context.newPage());
      page.removeAllListeners('console');
      page.removeAllListeners('pageerror');
      page.on('console', (message) => {
        if (message.type() === 'error' && !options.expected?.test(message.text()))
          problems.push(`${page.url()}: console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
      await page.goto(options.base() + pathname);
      return page;
    },
    async shoot(page, name, fullPage = true) {
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: path.join(options.shots, `${name}.png`), fullPage });
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 A/AA rules on the page as it stands: every violation, with where. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, so the page's CSP (no inline scripts) does not apply.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as any).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map(
      (v: any) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`,
    );
  });
  return violations as string[];
}
