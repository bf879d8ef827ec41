import type { Page } from '@playwright/test';
import path from 'node:path';
import { test, expect, hydrated, signIn } from '../support/fixtures';

// Staff on a desktop work the CRM's leads table (`/famath/crm/leads`): plain HTML with no wasm, sorted by its
// headers, filtered by its GET form, reached from the board and back; and the same with JavaScript switched off.
test.use({ viewport: { width: 1440, height: 900 } });

const rows = (page: Page) => page.getByTestId('lead-row');

/** The names in the table, in order. */
async function names(page: Page): Promise<string[]> {
  return (await rows(page).locator('td:first-child a').allInnerTexts()).map((name) => name.trim());
}

const collator = new Intl.Collator('pt-BR', { sensitivity: 'base' });

test('the leads table sorts by its headers, filters by owner, source and search, and leads back to the board', async ({
  page,
  saveScreenshot,
}) => {
  await signIn(page, 'famath', 'secretaria@famath.example');
  await page.goto('/famath/crm');
  await hydrated(page);
  await page.getByTestId('board-table-link').click();
  await page.waitForURL('**/famath/crm/leads');
  // The demo's 60 leads, plus any that earlier specs sent through the public form (one server per run).
  const summary = page.getByTestId('leads-summary');
  await expect(summary).toHaveText(/^Página 1 de 1 · \d+ leads$/);
  const total = Number((await summary.innerText()).match(/(\d+) leads/)?.[1]);
  expect(total).toBeGreaterThanOrEqual(60);
  await expect(rows(page)).toHaveCount(total);
  // A full load of the page itself: no wasm, no module script, no viewer JSON.
  await page.reload();
  await hydrated(page);
  expect(await page.evaluate(() => document.documentElement.dataset.hydrated)).toBe('none');
  expect(await page.locator('script[src], script[type="module"], script#atrium-viewer').count()).toBe(0);
  await saveScreenshot('crm-table');

  // Sorting: the name header, then again the other way round.
  await page.getByTestId('sort-nome').click();
  await page.waitForURL('**/crm/leads?ordem=nome');
  const ascending = await names(page);
  expect(ascending).toEqual([...ascending].sort(collator.compare));
  await expect(page.locator('th[aria-sort="ascending"]')).toContainText('Nome');
  await page.getByTestId('sort-nome').click();
  await page.waitForURL('**/crm/leads?ordem=nome&dir=desc');
  expect(await names(page)).toEqual([...ascending].reverse());

  // Filters: unassigned leads from the web form whose name has an "a", still sorted by name.
  await page.getByTestId('filter-owner').selectOption({ label: 'Sem responsável' });
  await page.getByTestId('filter-source').selectOption('web_form');
  await page.getByTestId('filter-search').fill('a');
  await page.getByTestId('filter-apply').click();
  await page.waitForURL(/consultor=nenhum/);
  expect(page.url()).toContain('origem=web_form');
  expect(page.url()).toContain('ordem=nome');
  const count = await rows(page).count();
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThan(total);
  for (const row of await rows(page).all()) {
    await expect(row).toContainText('Sem responsável');
    await expect(row).toContainText('Formulário');
  }
  await expect(page.getByTestId('leads-summary')).toContainText(`${count} lead`);
  await saveScreenshot('crm-table-filtered');

  // Nothing found: the empty state; "Limpar" brings every lead back.
  await page.getByTestId('filter-search').fill('ninguém se chama assim');
  await page.getByTestId('filter-apply').click();
  await expect(page.getByText('Nenhum lead encontrado')).toBeVisible();
  await saveScreenshot('crm-table-empty');
  await page.getByTestId('filter-clear').click();
  await expect(rows(page)).toHaveCount(total);

  // A name opens the lead on its board.
  const first = (await names(page))[0];
  await rows(page).first().locator('td:first-child a').click();
  await page.waitForURL(/\/famath\/crm\?funil=.*&lead=/);
  await hydrated(page);
  await expect(page.getByTestId('lead-drawer')).toContainText(first);
});

test('with JavaScript off the table still sorts and filters', async ({ browser, baseURL }) => {
  const signingIn = await browser.newContext({ baseURL });
  await signIn(await signingIn.newPage(), 'famath', 'dona@famath.example');
  const storageState = await signingIn.storageState();
  await signingIn.close();
  const context = await browser.newContext({
    baseURL,
    storageState,
    javaScriptEnabled: false,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  await page.goto('/famath/crm/leads');
  const total = Number((await page.getByTestId('leads-summary').innerText()).match(/(\d+) leads/)?.[1]);
  expect(total).toBeGreaterThanOrEqual(60);
  await expect(rows(page)).toHaveCount(total);

  await page.getByTestId('sort-valor').click();
  await page.waitForURL('**/crm/leads?ordem=valor');
  const values = await rows(page).locator('td:nth-child(7)').allInnerTexts();
  const cents = values.filter((value) => value.startsWith('R$')).map((value) => Number(value.replace(/\D/g, '')));
  expect(cents.length).toBeGreaterThan(0);
  expect(cents).toEqual([...cents].sort((a, b) => b - a));

  await page.getByTestId('filter-source').selectOption('whatsapp');
  await page.getByTestId('filter-apply').click();
  await page.waitForURL(/origem=whatsapp/);
  expect(page.url()).toContain('ordem=valor');
  for (const row of await rows(page).all()) await expect(row).toContainText('WhatsApp');
  const stageChip = page.getByTestId('stage-chips').locator('a').nth(1);
  const chipCount = Number(await stageChip.getByTestId('stage-count').innerText());
  await stageChip.click();
  await page.waitForURL(/etapa=/);
  await expect(rows(page)).toHaveCount(chipCount);
  await page.screenshot({ path: path.resolve(__dirname, '../test-results/screenshots/crm-table-no-js.png'), fullPage: true });
  await context.close();
});
