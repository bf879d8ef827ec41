import { test as base, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { startServer, type RunningServer } from './server';

const screenshotDir = path.resolve(__dirname, '../test-results/screenshots');

type Fixtures = {
  /** Opens a page and saves a full-page screenshot named after it, for a person to look at. */
  visit: (path: string, screenshotName: string) => Promise<void>;
  screenshot: (name: string) => Promise<void>;
};

export const test = base.extend<Fixtures, { server: RunningServer }>({
  server: [
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  baseURL: async ({ server }, use) => use(server.url),
  // Any error in the browser (a CSP violation, a panic in the wasm, a failed request) fails the test.
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    await use(page);
    expect(errors, 'errors in the browser').toEqual([]);
  },
  screenshot: async ({ page }, use) => {
    await use(async (name) => {
      await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
    });
  },
  visit: async ({ page, screenshot }, use) => {
    await use(async (target, name) => {
      const response = await page.goto(target);
      expect(response?.status(), `status of ${target}`).toBeLessThan(500);
      await screenshot(name);
    });
  },
});

/** Resolves once the wasm app has hydrated the page (the hydrate() export has run). */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
}

export { expect };
