import { test, expect, hydrated, signIn } from '../support/fixtures';
import type { Page } from '@playwright/test';

// Who sees the books: finance access granted and taken back by the owner, a starter plan's limit, and one tenant
// never reaching another's numbers.

async function switchTo(page: Page, tenant: string, email: string) {
  await page.context().clearCookies();
  await signIn(page, tenant, email);
}

async function setFinanceAccess(page: Page, email: string, on: boolean) {
  await page.goto('/famath/configuracoes/usuarios');
  await hydrated(page);
  const toggle = page.locator(`[data-testid="finance-access"][data-email="${email}"]`);
  await expect(toggle).toBeVisible();
  if ((await toggle.isChecked()) !== on) {
    // The keyboard works too: Space toggles a focused switch.
    await toggle.focus();
    await page.keyboard.press('Space');
  }
  await expect(toggle).toHaveAttribute('aria-checked', String(on));
  await expect(toggle).toBeEnabled();
}

test('the owner grants the secretary finance access, she then sees finance, and losing it hides it again', async ({ page, saveScreenshot }) => {
  const secretary = 'secretaria@famath.example';
  await signIn(page, 'famath', 'dona@famath.example');
  await setFinanceAccess(page, secretary, true);
  await saveScreenshot('finance-access-granted');

  await switchTo(page, 'famath', secretary);
  await expect(page.getByTestId('nav-financeiro')).toBeVisible();
  const allowed = await page.goto('/famath/financeiro/lancamentos');
  expect(allowed?.status()).toBe(200);
  await expect(page.getByTestId('transactions-table')).toBeVisible();

  await switchTo(page, 'famath', 'dona@famath.example');
  await setFinanceAccess(page, secretary, false);

  await switchTo(page, 'famath', secretary);
  await expect(page.getByTestId('nav-financeiro')).toHaveCount(0);
  const refused = await page.goto('/famath/financeiro/lancamentos');
  expect(refused?.status()).toBe(403);
});

test('a starter tenant at its account limit is told which plan lifts it, and nothing is created', async ({ page, saveScreenshot }) => {
  await signIn(page, 'credvale', 'dono@credvale.example');
  await page.goto('/credvale/financeiro/contas');
  await hydrated(page);
  const rows = page.getByTestId('account-row');
  await expect(rows.first()).toBeVisible();
  const before = await rows.count();
  await page.getByTestId('account-name').fill('Conta extra');
  await page.getByTestId('account-create').click();
  await expect(page.getByTestId('account-form').getByText(/Seu plano .* permite até 3 contas/)).toBeVisible();
  await expect(page.getByTestId('account-form').getByText(/Profissional/)).toBeVisible();
  await saveScreenshot('finance-plan-limit');
  await page.reload();
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBe(before);
  await expect(page.locator('[data-testid="account-row"][data-name="Conta extra"]')).toHaveCount(0);

  // The plan page shows the same limit, full.
  await page.goto('/credvale/configuracoes/plano');
  await expect(page.getByText('3 de 3').first()).toBeVisible();
  await saveScreenshot('plan-page');
});

test("one tenant's owner never reaches another tenant's books", async ({ page }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/financeiro/contas');
  const famathBank = await page
    .locator('[data-testid="account-row"][data-name="Banco do Brasil"]')
    .getByTestId('account-balance')
    .innerText();

  await switchTo(page, 'credvale', 'dono@credvale.example');
  for (const path of ['/famath/financeiro', '/famath/financeiro/contas', '/famath/financeiro/lancamentos']) {
    // Not signed in to that tenant: its sign-in page, never its books.
    await page.goto(path);
    await expect(page).toHaveURL(/\/famath\/entrar/);
    await expect(page.getByTestId('accounts-table')).toHaveCount(0);
    await expect(page.getByTestId('transactions-table')).toHaveCount(0);
  }
  await page.goto('/credvale/financeiro/contas');
  const credvaleBank = await page
    .locator('[data-testid="account-row"][data-name="Banco do Brasil"]')
    .getByTestId('account-balance')
    .innerText();
  expect(credvaleBank).not.toBe(famathBank);
  await expect(page.getByText(famathBank, { exact: true })).toHaveCount(0);
});
