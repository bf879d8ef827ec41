import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, hydrated, signIn } from '../support/fixtures';

/** The tenant's own website, on another origin: one page with the snippet the owner copied. */
async function tenantSite(snippet: () => string): Promise<{ origin: string; close: () => Promise<void> }> {
  const site = http.createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="pt-BR"><head><title>Loja</title></head>
      <body><h1>Financie com a gente</h1>${snippet()}</body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const { port } = site.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => site.close(() => resolve())),
  };
}

test('the form embedded in the tenant site sends a lead that shows on the board', async ({ page, browser, baseURL }) => {
  let snippet = '';
  const site = await tenantSite(() => snippet);
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/crm');
  await hydrated(page);
  await page.getByTestId('board-stages-link').click();
  await expect(page).toHaveURL(/\/famath\/crm\/etapas$/);
  await hydrated(page);
  await page.getByTestId('site-origin').fill(site.origin);
  await page.getByTestId('site-origin-save').click();
  await expect(page.getByTestId('site-embed-snippet')).toContainText('/famath/simular/embed');
  snippet = await page.getByTestId('site-embed-snippet').innerText();
  await page.screenshot({ path: 'end2end/test-results/screenshots/crm-stages.png', fullPage: true });

  const visitorContext = await browser.newContext({ baseURL, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  const visitor = await visitorContext.newPage();
  const errors: string[] = [];
  visitor.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await visitor.goto(site.origin);
  const form = visitor.frameLocator('iframe');
  await expect(form.getByTestId('simulate-form')).toBeVisible();
  await visitor.frames()[1].waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
  await form.getByTestId('name').fill('Lívia Embutida');
  await form.getByTestId('phone').fill('(83) 98222-3344');
  await form.getByTestId('consent').check();
  await form.getByTestId('simulate-submit').click();
  await expect(form.getByTestId('simulate-done')).toBeVisible();
  await visitor.screenshot({ path: 'end2end/test-results/screenshots/crm-embed.png', fullPage: true });
  expect(errors, 'errors in the embedding page').toEqual([]);
  await visitorContext.close();
  await site.close();

  await page.goto('/famath/crm');
  await hydrated(page);
  await expect(page.getByTestId('lead-card').filter({ hasText: 'Lívia Embutida' })).toHaveCount(1);
});
