/**
 * Browser test harness: Debian's chromium (headless, driven by playwright-core;
 * no browser download) against a real agent. Screenshots of the main pages are
 * saved under dist/ui-screenshots/ as test artifacts.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { AgentProcess } from '../api/testing.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
export const CHROMIUM = process.env.DROVER_CHROMIUM ?? CANDIDATES.find((p) => existsSync(p));
export const SCREENSHOTS = fileURLToPath(new URL('../../ui-screenshots/', import.meta.url));

/** Why browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  if (!CHROMIUM) return `no chromium at ${CANDIDATES.join(', ')} (make test installs Debian's chromium as root; set DROVER_CHROMIUM to use another)`;
  if (!existsSync(join(fileURLToPath(new URL('../../ui/', import.meta.url)), 'index.html'))) return 'the UI bundle dist/ui is missing (npm run build builds it)';
  return undefined;
}

let shared: Promise<Browser> | undefined;
/** One browser per test file, closed when the process exits. */
export function browser(): Promise<Browser> {
  shared ??= chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container: chromium's sandbox needs user namespaces it is not given.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  return shared;
}

export async function closeBrowser(): Promise<void> {
  if (!shared) return;
  const b = await shared;
  shared = undefined;
  await b.close();
}

export interface UiSession {
  readonly page: Page;
  readonly context: BrowserContext;
  /** http://127.0.0.1:PORT */
  readonly base: string;
  /** Opens `path` (e.g. "/ui/jobs") and waits for the app to render. */
  open(path: string): Promise<void>;
  /** Saves a full-page screenshot as dist/ui-screenshots/NAME.png. */
  screenshot(name: string): Promise<string>;
  /** Page errors and console errors seen so far (a test can assert there were none). */
  readonly errors: string[];
}

/**
 * A fresh browser context (own local storage) on `agent`'s UI. Skips the test with
 * the reason when no browser can run here. The context closes when the test ends.
 */
export async function openUi(t: TestContext, agent: AgentProcess, o: { width?: number; height?: number; token?: string } = {}): Promise<UiSession | undefined> {
  const missing = browserMissing();
  if (missing) {
    t.skip(missing);
    console.log(`# skipped: ${missing}`);
    return undefined;
  }
  const b = await browser();
  const context = await b.newContext({ viewport: { width: o.width ?? 1280, height: o.height ?? 800 } });
  t.after(() => context.close());
  const base = agent.address.startsWith('http') ? agent.address : `http://${agent.address}`;
  if (o.token) {
    await context.addInitScript((token) => localStorage.setItem('nomadTokenSecret', token), o.token);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.location().url ? `${m.text()} (${m.location().url})` : m.text());
  });
  return {
    page,
    context,
    base,
    errors,
    open: async (path) => {
      await page.goto(base + path);
      await page.waitForSelector('main#main');
    },
    screenshot: async (name) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
}
