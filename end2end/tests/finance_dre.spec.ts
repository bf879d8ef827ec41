import { test, expect, hydrated, signIn } from '../support/fixtures';
import { readFileSync } from 'node:fs';

/** Cents from "R$ 1.234,56" / "-R$ 10,00". */
function cents(text: string): number {
  const negative = text.includes('-');
  return (negative ? -1 : 1) * Number(text.replace(/[^\d]/g, ''));
}

test('a DRE cell drills down to the transactions that add up to it', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/financeiro/dre');
  await hydrated(page);
  const table = page.getByTestId('dre-table');
  await expect(table.locator('[data-line="lucro_liquido"]')).toBeVisible();
  await saveScreenshot('finance-dre');
  const cell = table.locator('[data-line="receita_bruta"]').getByTestId('dre-cell').first();
  const value = cents(await cell.innerText());
  expect(value).toBeGreaterThan(0);
  await cell.click();
  await page.waitForURL('**/financeiro/dre/lancamentos?**');
  await expect(page.getByTestId('dre-cell-total')).toContainText('R$');
  expect(cents(await page.getByTestId('dre-cell-total').locator('p').nth(1).innerText())).toBe(value);
  await saveScreenshot('finance-dre-drill-down');
  await page.getByTestId('dre-back').click();
  await expect(page.getByTestId('dre-table')).toBeVisible();
});

test('the DRE exports a CSV a Brazilian spreadsheet opens', async ({ page }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/financeiro/dre?periodo=trimestre&base=caixa');
  await hydrated(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dre-export').click()]);
  const bytes = readFileSync((await download.path()) as string);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf-8').trim().split('\r\n');
  expect(lines[0]).toMatch(/^Linha;.*tri\/\d{4}.*;Total;AV %$/);
  const revenue = lines.find((line) => line.startsWith('Receita bruta;'));
  expect(revenue).toBeDefined();
  expect(revenue!.split(';')[1]).toMatch(/^-?\d+,\d{2}$/);
});

test('the owner edits a recurring rule from next month, previews it, and the forecast follows', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/financeiro/recorrentes');
  await hydrated(page);
  await page.getByTestId('rule-name').fill('Aluguel do anexo');
  await page.getByTestId('new-amount').fill('2.000,00');
  await page.getByTestId('new-category').selectOption({ label: 'Aluguel' });
  await page.getByTestId('new-account').selectOption({ label: 'Banco do Brasil' });
  await page.getByTestId('new-day').fill('31');
  await page.getByTestId('rule-create').click();
  const rule = page.locator('[data-rule="Aluguel do anexo"]').locator('..');
  await expect(rule.getByTestId('rule-versions')).toBeVisible();
  await rule.locator('details[data-testid="edit-from"] > summary').click();
  const next = new Date();
  next.setUTCDate(1);
  next.setUTCMonth(next.getUTCMonth() + 1);
  await rule.locator('input[data-testid="edit-from"]').fill(next.toISOString().slice(0, 10));
  await rule.getByTestId('edit-amount').fill('2.300,00');
  await rule.getByTestId('rule-preview').click();
  await expect(rule.getByTestId('rule-preview-rows')).toContainText('Muda');
  await saveScreenshot('finance-recurring-preview');
  await rule.getByTestId('rule-save').click();
  await expect(rule.getByTestId('rule-versions').locator('tbody tr')).toHaveCount(2);
  await page.goto('/famath/financeiro/previsao?meses=3');
  await hydrated(page);
  await expect(page.getByTestId('forecast-chart')).toContainText('Aluguel do anexo');
  await saveScreenshot('finance-forecast');
});

test.describe('without JavaScript', () => {
  test('the finance dashboard shows its numbers and charts', async ({ page, browser, saveScreenshot }) => {
    await signIn(page, 'famath', 'dona@famath.example');
    const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
    const plain = await context.newPage();
    const response = await plain.goto(page.url().replace(/\/famath\/.*$/, '/famath/financeiro'));
    expect(response?.status()).toBe(200);
    await expect(plain.getByTestId('stat-income')).toContainText('R$');
    await expect(plain.getByTestId('months-chart').locator('svg rect').first()).toBeVisible();
    await expect(plain.getByTestId('dre-breakdown')).toContainText('Lucro líquido');
    await expect(plain.getByTestId('due-soon')).toBeVisible();
    await plain.screenshot({ path: 'end2end/test-results/finance-dashboard-without-javascript.png', fullPage: true });
    await context.close();
    await saveScreenshot('finance-dashboard');
  });
});
