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
  // Typed before hydration, the filter would be reset by it.
  await hydrated(page);
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

test('an entry is edited with the keyboard and deleted only after a confirmation', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/financeiro/lancamentos');
  await hydrated(page);
  await page.getByTestId('filter-text').fill('revisar');
  await expect(page.getByText('Nenhum lançamento neste filtro')).toBeVisible();
  await page.getByTestId('qe-description').fill('Revisar 1');
  await page.getByTestId('qe-amount').fill('80,00');
  await page.keyboard.press('Enter');
  const row = page.getByTestId('transaction-row');
  await expect(row).toHaveCount(1);

  // Edit: a bad amount is a field error under the field; Enter saves the fixed one.
  await row.getByTestId('edit-transaction').click();
  const dialog = page.getByTestId('edit-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('edit-description')).toHaveValue('Revisar 1');
  await expect(dialog.getByTestId('edit-amount')).toHaveValue('80,00');
  await dialog.getByTestId('edit-amount').fill('xyz');
  await dialog.getByTestId('edit-amount').press('Enter');
  await expect(dialog.getByText('Valor inválido')).toBeVisible();
  await saveScreenshot('finance-edit-field-error');
  await dialog.getByTestId('edit-amount').fill('120,00');
  await dialog.getByTestId('edit-description').fill('Revisar 1 (corrigido)');
  await dialog.getByTestId('edit-description').press('Enter');
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Revisar 1 (corrigido)');
  await expect.poll(() => total(page, 'expense')).toBe('R$ 120,00');

  // Esc cancels: nothing typed in the dialog is saved.
  await row.getByTestId('edit-transaction').click();
  await dialog.getByTestId('edit-description').fill('Revisar descartado');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Revisar 1 (corrigido)');

  // Delete asks first; cancelling keeps the entry.
  await row.getByTestId('delete-transaction').click();
  const confirm = page.getByTestId('delete-dialog');
  await expect(confirm).toContainText('Revisar 1 (corrigido)');
  await saveScreenshot('finance-delete-confirm');
  await confirm.getByTestId('delete-cancel').click();
  await expect(confirm).toBeHidden();
  await expect(row).toHaveCount(1);
  await row.getByTestId('delete-transaction').click();
  await confirm.getByTestId('delete-confirm').click();
  await expect(page.getByText('Nenhum lançamento neste filtro')).toBeVisible();
  expect(await total(page, 'count')).toBe('0');
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
  await page.getByTestId('delete-confirm').click();
  await expect(page.getByTestId('delete-dialog').getByText(/está fechado/)).toBeVisible();
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

test('a card purchase lands in the invoice that closes next and paying it is a transfer', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/financeiro/lancamentos');
  await hydrated(page);
  await expect(page.getByTestId('transactions-table')).toBeVisible();
  const resultBefore = await total(page, 'result');
  await page.getByTestId('qe-account').selectOption({ label: 'Cartão Visa' });
  await page.getByTestId('qe-description').fill('Compra no cartão');
  await page.getByTestId('qe-amount').fill('123,45');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('qe-description')).toHaveValue('');
  // An expense: the result moves by the purchase, once.
  await expect.poll(() => total(page, 'result')).not.toBe(resultBefore);
  const resultAfterPurchase = await total(page, 'result');

  // The demo card closes on the 5th: bought today, it is in the invoice closing on the next 5th (or today's, on the 5th).
  const today = new Date(new Date().toLocaleString('en-US', { timeZone: 'UTC' }));
  const closing = new Date(Date.UTC(today.getFullYear(), today.getMonth() + (today.getDate() > 5 ? 1 : 0), 5));
  await page.goto('/famath/financeiro/faturas');
  await hydrated(page);
  const invoice = page.locator(`[data-testid="invoice"][data-closing="${closing.toISOString().slice(0, 10)}"]`);
  await expect(invoice).toContainText('Compra no cartão');
  await expect(invoice).toHaveAttribute('data-status', 'Open');
  await saveScreenshot('finance-invoices');

  await invoice.getByTestId('pay-from').selectOption({ label: 'Banco do Brasil' });
  await invoice.getByTestId('pay-invoice').click();
  await expect(page.locator(`[data-testid="invoice"][data-closing="${closing.toISOString().slice(0, 10)}"]`)).toHaveAttribute('data-status', 'Paid');
  await saveScreenshot('finance-invoice-paid');

  // Paying was a transfer: the result is what the purchase left it at.
  await page.goto('/famath/financeiro/lancamentos');
  await expect(page.getByTestId('transactions-table')).toBeVisible();
  expect(await total(page, 'result')).toBe(resultAfterPurchase);
});

test('the finance home shows real figures and the owner closes and reopens last month', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/financeiro');
  await hydrated(page);
  for (const stat of ['stat-cash', 'stat-result', 'stat-payable']) {
    await expect(page.getByTestId(stat).locator('p').nth(1)).not.toHaveText('R$ 0,00');
  }
  const now = new Date();
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const key = last.toISOString().slice(0, 7);
  const row = page.locator(`[data-testid="month-row"][data-month="${key}"]`);
  await expect(row.getByTestId('month-status')).toHaveText('Aberto');
  await row.getByTestId('month-toggle').click();
  await expect(row.getByTestId('month-status')).toHaveText('Fechado');
  await saveScreenshot('finance-home-month-closed');
  await row.getByTestId('month-toggle').click();
  await expect(row.getByTestId('month-status')).toHaveText('Aberto');
});
