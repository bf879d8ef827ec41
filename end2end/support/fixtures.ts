import { test as base, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { startServer, type RunningServer } from './server';

const screenshotDir = path.resolve(__dirname, '../test-results/screenshots');

type Fixtures = {
  /** Opens a page and saves a full-page screenshot named after it, for a person to look at. */
  visit: (path: string, screenshotName: string) => Promise<void>;
  saveScreenshot: (name: string) => Promise<void>;
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
  page: async ({ page, javaScriptEnabled }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // Chrome also logs every HTTP error as a console error; those are judged below by what failed.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        errors.push(`console: ${message.text()}`);
      }
    });
    // A page's own status is up to each test (a 404 page is a 404); everything it loads must succeed, except a
    // server function's 4xx answer (a field error, "forbidden"), which is the product talking and is shown on the
    // page for the test to check.
    page.on('response', (response) => {
      const status = response.status();
      const expectedRefusal = status < 500 && new URL(response.url()).pathname.startsWith('/api/');
      if (status >= 400 && response.request().resourceType() !== 'document' && !expectedRefusal) {
        errors.push(`${response.status()} for ${response.url()}`);
      }
    });
    // Aborted requests are the browser's choice (a new navigation, a preload with JavaScript off); others count.
    // With JavaScript off, Chrome refuses the script preloads; any other refusal (a CSP violation) counts.
    page.on('requestfailed', (request) => {
      const reason = request.failure()?.errorText ?? '';
      const scriptWithoutJs = !javaScriptEnabled && request.resourceType() === 'script';
      if (!reason.includes('ERR_ABORTED') && !scriptWithoutJs) {
        errors.push(`request failed (${reason}): ${request.url()}`);
      }
    });
    await use(page);
    expect(errors, 'errors in the browser').toEqual([]);
  },
  saveScreenshot: async ({ page }, use) => {
    await use(async (name) => {
      await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
    });
  },
  visit: async ({ page, saveScreenshot }, use) => {
    await use(async (target, name) => {
      const response = await page.goto(target);
      expect(response?.status(), `status of ${target}`).toBeLessThan(500);
      await saveScreenshot(name);
    });
  },
});

/**
 * Resolves once the page is interactive: the wasm app has hydrated it (the hydrate() export has run), or it is one of
 * the plain-HTML pages that ship no wasm at all (`data-hydrated="none"`, app/src/routes.rs `server_rendered_only`).
 */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => ['true', 'none'].includes(document.documentElement.dataset.hydrated ?? ''));
}

/** The demo seed's password for every demo person (server/src/database/seed.rs). */
export const DEMO_PASSWORD = 'atrium-demo-2026';

/**
 * Signs in through the real form and waits for the person's home. Successful sign-ins never count towards the
 * sign-in limits (only failures do), so tests may sign the same demo people in as often as they like; a test that
 * fails a sign-in on purpose uses a person of its own.
 */
export async function signIn(page: Page, tenant: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(`/${tenant}/entrar`);
  await hydrated(page);
  await page.getByTestId('email').fill(email);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('sign-in').click();
  await page.waitForURL((url) => !url.pathname.endsWith('/entrar'));
  await hydrated(page);
}

export { expect };
