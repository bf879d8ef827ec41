import { test, expect, hydrated, signIn } from '../support/fixtures';
import type { Page } from '@playwright/test';

/** Cents from "R$ 1.234,56" / "-R$ 10,00". */
function cents(text: string): number {
  const negative = text.includes('-');
  const digits = text.replace(/[^\d]/g, '');
  return (negative ? -1 : 1) * Number(digits);
}

async function balance(page: Page, account: string): Promise<number> {
  const row = page.locator(`[data-testid="account-row"][data-name="${account}"]`);
  return cents(await row.getByTestId('account-balance').innerText());
}

async function total(page: Page, which: 'income' | 'expense' | 'result' | 'count'): Promise<string> {
  return (await page.getByTestId(`total-${which}`).locator('p').nth(1).innerText()).trim();
}

test('the owner types several transactions with the keyboard and the totals follow', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/financeiro/lancamentos');
  await expect(page.getByTestId('transactions-table')).toBeVisible();
  // Only what this test types: a word no demo entry has.
  await page.getByTestId('filter-text').fill('teclado');
  await expect(page.getByText('Nenhum lançamento neste filtro')).toBeVisible();

  const description = page.getByTestId('qe-description');
  await description.focus();
  for (const [index, amount] of ['100,00', '250,50', '49,50'].entries()) {
    await page.keyboard.type(`Teclado ${index + 1}`);
    await page.keyboard.press('Tab');
    await page.keyboard.type(amount);
    await page.keyboard.press('Enter');
    // Saved: the row is empty again and the cursor is back on the description, ready for the next one.
    await expect(description).toHaveValue('');
    await expect(description).toBeFocused();
  }
  await expect(page.getByTestId('transaction-row')).toHaveCount(3);
  expect(await total(page, 'expense')).toBe('R$ 400,00');
  expect(await total(page, 'count')).toBe('3');

  // A bad amount is a field error under the field, and nothing is saved.
  await page.keyboard.type('Teclado errado');
  await page.keyboard.press('Tab');
  await page.keyboard.type('abc');
  await page.keyboard.press('Enter');
  await expect(page.getByText('Valor inválido')).toBeVisible();
  await saveScreenshot('finance-keyboard-entry');
  expect(await total(page, 'count')).toBe('3');
});

test('a transfer moves balances but not results', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/financeiro/lancamentos');
  await expect(page.getByTestId('transactions-table')).toBeVisible();
  const resultBefore = await total(page, 'result');

  await page.goto('/famath/financeiro/contas');
  await hydrated(page);
  await expect(page.getByTestId('accounts-table')).toBeVisible();
  const bankBefore = await balance(page, 'Banco do Brasil');
  const cashBefore = await balance(page, 'Caixa');
  await page.getByTestId('transfer-from').selectOption({ label: 'Banco do Brasil' });
  await page.getByTestId('transfer-to').selectOption({ label: 'Caixa' });
  await page.getByTestId('transfer-amount').fill('1.000,00');
  await page.getByTestId('transfer-send').click();
  await expect.poll(() => balance(page, 'Caixa')).toBe(cashBefore + 100_000);
  expect(await balance(page, 'Banco do Brasil')).toBe(bankBefore - 100_000);
  await saveScreenshot('finance-accounts-after-transfer');

  await page.goto('/famath/financeiro/lancamentos');
  await expect(page.getByTestId('transactions-table')).toBeVisible();
  expect(await total(page, 'result')).toBe(resultBefore);
});

test('a closed month refuses an edit with a clear message', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  // The demo books close the month before last.
  const now = new Date();
  const closed = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 0));
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  await page.goto('/famath/financeiro/lancamentos');
  // Filters typed before the page hydrates would be reset by it.
  await hydrated(page);
  await expect(page.getByTestId('transactions-table')).toBeVisible();
  await page.locator('#field-from').fill(iso(closed));
  await page.locator('#field-to').fill(iso(last));
  // Only entries of the closed month are listed (nothing from today, such as another test's entries).
  const today = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo' }).format(now);
  await expect(page.getByTestId('transaction-row').filter({ hasText: today })).toHaveCount(0);
  const first = page.getByTestId('transaction-row').first();
  await expect(first).toBeVisible();
  await first.getByTestId('delete-transaction').click();
  await expect(page.getByText(/está fechado/)).toBeVisible();
  await saveScreenshot('finance-closed-month');
});

test('the enrollment secretary without finance access sees no finance', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'secretaria@famath.example');
  await expect(page.getByTestId('nav-financeiro')).toHaveCount(0);
  for (const path of ['/famath/financeiro', '/famath/financeiro/lancamentos', '/famath/financeiro/contas']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByTestId('forbidden')).toBeVisible();
  }
  await saveScreenshot('finance-secretary-refused');
});
