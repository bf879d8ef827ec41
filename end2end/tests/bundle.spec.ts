import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { budgets } from '../budgets';
import { test, expect, hydrated, signIn } from '../support/fixtures';

// The browser bundle on the release build: per-page budgets, code splitting, a failed chunk, browser caching.

const root = path.resolve(__dirname, '../..');
const siteRoot = path.resolve(root, process.env.ATRIUM_SITE_ROOT ?? 'target/site');
const resultsDir = path.resolve(__dirname, '../test-results');

const isAsset = (url: string) => {
  const { pathname } = new URL(url);
  return pathname.startsWith('/pkg/') && /\.(wasm|js|css)$/.test(pathname);
};
const isWasm = (url: string) => new URL(url).pathname.endsWith('.wasm');

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Raw, gzip and brotli bytes of the bundle files these URLs name (the precompressed files the server sends). */
function sizes(urls: Iterable<string>) {
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const url of urls) {
    const file = path.join(siteRoot, new URL(url).pathname);
    const raw = fileSize(file);
    expect(raw, `${url} is a file of the site`).toBeGreaterThan(0);
    total.raw += raw;
    total.gzip += fileSize(`${file}.gz`) || raw;
    total.brotli += fileSize(`${file}.br`) || raw;
  }
  return total;
}

/** A context with a cold HTTP cache, signed in as `email` if given (the sign-in happens in another context). */
async function coldContext(browser: Browser, baseURL: string, email?: string): Promise<BrowserContext> {
  if (!email) return browser.newContext({ baseURL });
  const signingIn = await browser.newContext({ baseURL });
  const page = await signingIn.newPage();
  await signIn(page, 'famath', email);
  const storageState = await signingIn.storageState();
  await signingIn.close();
  return browser.newContext({ baseURL, storageState });
}

/**
 * The budget's path, its `:application` replaced by the signed-in student's first application (read in a context of
 * its own, so the measured one stays cold).
 */
async function pathOf(browser: Browser, baseURL: string, budget: { path: string; signedInAs?: string }) {
  if (!budget.path.includes(':application')) return budget.path;
  const context = await coldContext(browser, baseURL, budget.signedInAs);
  const page = await context.newPage();
  await page.goto('/famath/portal');
  const href = await page.getByTestId('application-details').first().getAttribute('href');
  await context.close();
  expect(href, `${budget.signedInAs} has an application`).toMatch(/\/portal\/inscricao\/[0-9a-f-]{36}$/);
  return budget.path.replace(':application', href!.split('/').pop()!);
}

/** Opens `path` and answers the bundle files it fetched until it was interactive. */
async function assetsUntilInteractive(page: Page, target: string): Promise<Set<string>> {
  const fetched = new Set<string>();
  const record = (request: { url(): string }) => {
    if (isAsset(request.url())) fetched.add(request.url());
  };
  page.on('request', record);
  const response = await page.goto(target);
  expect(response?.status(), `status of ${target}`).toBe(200);
  await hydrated(page);
  page.off('request', record);
  return fetched;
}

test.describe('bundle budgets', () => {
  for (const budget of budgets) {
    test(`${budget.name} stays within its budget`, async ({ browser, baseURL }) => {
      const target = await pathOf(browser, baseURL!, budget);
      const context = await coldContext(browser, baseURL!, budget.signedInAs);
      const page = await context.newPage();
      const fetched = await assetsUntilInteractive(page, target);
      await context.close();
      const total = sizes(fetched);
      // One line per page (JSON lines) in test-results/, the figures the README quotes.
      const figure = { page: budget.name, path: budget.path, files: fetched.size, ...total, budget: budget.maxBrotliBytes };
      mkdirSync(resultsDir, { recursive: true });
      appendFileSync(path.join(resultsDir, 'bundle-sizes.jsonl'), `${JSON.stringify(figure)}\n`);
      console.log(JSON.stringify(figure));
      expect(
        total.brotli,
        `${budget.name} (${budget.path}) fetches ${total.brotli} brotli bytes of wasm + JS + CSS before it is ` +
          `interactive; its budget is ${budget.maxBrotliBytes} (end2end/budgets.ts): ${[...fetched].join(', ')}`,
      ).toBeLessThanOrEqual(budget.maxBrotliBytes);
    });
  }
});

test('the landing, sign-up, sign-in, password and public financing pages fetch no wasm or JS; the design gallery and a staff page fetch their own chunk', async ({ browser, baseURL }) => {
  for (const target of ['/', '/cadastro', '/famath/entrar', '/famath/esqueci-senha', '/famath/cadastro-aluno', '/famath/simular']) {
    const anonymous = await coldContext(browser, baseURL!);
    const fetched = await assetsUntilInteractive(await anonymous.newPage(), target);
    await anonymous.close();
    expect([...fetched].filter((url) => !url.endsWith('.css')), `${target} is plain HTML and CSS`).toEqual([]);
  }
  // The design gallery is a lazy route: its code is not in the main wasm the other pages load.
  for (const target of ['/design']) {
    const visitor = await coldContext(browser, baseURL!);
    const fetched = await assetsUntilInteractive(await visitor.newPage(), target);
    await visitor.close();
    expect([...fetched].filter(isWasm).length, `${target} fetches its own chunk`).toBeGreaterThan(1);
  }

  const owner = await coldContext(browser, baseURL!, 'dona@famath.example');
  const finance = await assetsUntilInteractive(await owner.newPage(), '/famath/financeiro');
  await owner.close();
  expect([...finance].filter(isWasm).length, 'finance adds its chunk').toBeGreaterThan(1);
});

test('the signed-in plain pages (the CRM leads table, the applications list) fetch no wasm or JS', async ({ browser, baseURL }) => {
  const owner = await coldContext(browser, baseURL!, 'dona@famath.example');
  for (const target of ['/famath/crm/leads', '/famath/matriculas/inscricoes']) {
    const page = await owner.newPage();
    const fetched = await assetsUntilInteractive(page, target);
    expect([...fetched].filter((url) => !url.endsWith('.css')), `${target} is plain HTML and CSS`).toEqual([]);
    const loading = page.locator('script[src], script[type="module"], script#atrium-viewer');
    expect(await loading.count(), `${target} loads no script and carries no viewer JSON`).toBe(0);
    await page.close();
  }
  await owner.close();
});

test('the design gallery runs from its own chunk and the listeners its code adds work', async ({ page }) => {
  // leptos#4347: closures (event listeners) created by split code. The gallery page is a lazy route.
  const fetched = await assetsUntilInteractive(page, '/design');
  expect([...fetched].filter(isWasm).length, 'the gallery chunk is fetched').toBeGreaterThan(1);
  await page.getByTestId('gallery-primary').click();
  await page.getByTestId('gallery-primary').click();
  await expect(page.getByTestId('gallery-clicks')).toHaveText('Cliques no botão primário: 2');
  await page.getByTestId('modal-open').click();
  await expect(page.getByTestId('modal')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('modal')).toHaveCount(0);
});

test('a chunk that fails to load shows a message with a reload button', async ({ browser, baseURL }) => {
  // Not the `page` fixture: the failed load is logged in the console on purpose.
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  let blocked = 0;
  // The main wasm (named after the output, `atrium.<hash>.wasm`) loads; the page's chunk does not.
  await page.route(/\/pkg\/.*\.wasm$/, (route) => {
    const name = path.basename(new URL(route.request().url()).pathname);
    if (name.startsWith('atrium.')) return route.continue();
    blocked += 1;
    return route.abort('internetdisconnected');
  });
  await page.goto('/design');
  const notice = page.getByTestId('crash-notice');
  await expect(notice).toBeVisible();
  expect(blocked).toBeGreaterThan(0);
  await expect(notice).toContainText('Não foi possível carregar esta parte da página');
  await page.unroute(/\/pkg\/.*\.wasm$/);
  await notice.getByTestId('crash-reload').click();
  await hydrated(page);
  await expect(page.getByTestId('crash-notice')).toHaveCount(0);
  await page.getByTestId('gallery-primary').click();
  await expect(page.getByTestId('gallery-clicks')).toHaveText('Cliques no botão primário: 1');
  await context.close();
});

test('a second visit fetches no wasm, JS or CSS again', async ({ baseURL }) => {
  const launch = test.info().project.use.launchOptions ?? {};
  const profile = mkdtempSync(path.join(os.tmpdir(), 'atrium-cache-'));
  const visit = async () => {
    const context = await chromium.launchPersistentContext(profile, { ...launch, baseURL });
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const fromNetwork: string[] = [];
    const assets: string[] = [];
    cdp.on('Network.responseReceived', ({ response }) => {
      if (!isAsset(response.url)) return;
      assets.push(response.url);
      if (!response.fromDiskCache && !response.fromMemoryCache && !response.fromPrefetchCache) {
        fromNetwork.push(response.url);
      }
    });
    await page.goto('/design');
    await hydrated(page);
    await context.close();
    return { assets, fromNetwork };
  };
  try {
    const first = await visit();
    expect(first.fromNetwork.length, 'the first visit downloads the bundle').toBeGreaterThan(0);
    const second = await visit();
    expect(second.assets.length, 'the second visit uses the bundle too').toBeGreaterThan(0);
    expect(second.fromNetwork, 'downloaded again on the second visit').toEqual([]);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test('time to interactive of the student portal on a slow phone (a figure, not a limit)', async ({
  browser,
  baseURL,
}) => {
  // A measurement, not a check: it takes half a minute, so CI skips it. `ATRIUM_MEASURE_TTI=1 make e2e` prints it.
  test.skip(!process.env.ATRIUM_MEASURE_TTI, 'set ATRIUM_MEASURE_TTI=1 to measure');
  test.setTimeout(180_000);
  const figures: Record<string, number> = {};
  // The portal's home and the application wizard (both plain HTML since the morning of 2026-12-02; the wizard
  // hydrated with its chunks before), each from a cold cache.
  for (const target of ['/famath/portal', '/famath/portal/inscricao/nova']) {
    const context = await coldContext(browser, baseURL!, 'joao@famath.example');
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // DevTools' "Fast 3G" preset and a 4× slower CPU.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 562.5,
      downloadThroughput: ((1.6 * 1024 * 1024) / 8) * 0.9,
      uploadThroughput: ((750 * 1024) / 8) * 0.9,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const started = Date.now();
    await page.goto(target);
    await hydrated(page);
    figures[target] = Date.now() - started;
    await context.close();
    console.log(`${target}, Fast 3G + 4x CPU: interactive after ${figures[target]} ms`);
  }
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, 'portal-time-to-interactive.json'), `${JSON.stringify(figures)}\n`);
});
