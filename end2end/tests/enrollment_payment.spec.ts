import type { Browser, Page } from '@playwright/test';
import { test, expect, hydrated, signIn } from '../support/fixtures';

// The student pays the enrollment fee on a phone: PIX through the fake Asaas, marked paid by staff on the
// test-payments page (desktop), and the student's page says "matriculado" without a reload (webhook → job → live
// event). A double click on "Gerar PIX" makes one charge. The demo's paying applicants: Fernanda Lopes (approved,
// a class with installments) and Gustavo Pires (awaiting payment, one installment), both with the demo password.
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

const FERNANDA = 'candidato4@famath.example';
const GUSTAVO = 'candidato5@famath.example';

/** Staff, on a desktop in a context of their own, at the fake Asaas's console (the test-payments page). */
async function atTheFake(browser: Browser, baseURL: string, run: (page: Page) => Promise<void>) {
  const staff = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, locale: 'pt-BR' });
  const page = await staff.newPage();
  await signIn(page, 'famath', 'secretaria@famath.example');
  await page.goto('/famath/configuracoes/pagamentos-teste');
  await hydrated(page);
  await run(page);
  await staff.close();
}

test('the student makes a PIX charge and sees "matriculado" without reloading once it is paid', async ({
  page,
  browser,
  baseURL,
  saveScreenshot,
}) => {
  test.setTimeout(90_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, 'famath', FERNANDA);
  await page.goto('/famath/portal');
  await hydrated(page);
  await page.getByTestId('pay-application').click();
  await page.waitForURL(/\/portal\/inscricao\/[0-9a-f-]{36}\/pagamento$/);
  await hydrated(page);
  await expect(page.getByTestId('payment-amount')).toHaveText('R$ 200,00');
  await expect(page.getByTestId('payment-payer')).toContainText('Fernanda Lopes');
  await expect(page.getByTestId('payment-payer')).toContainText(/\*\*\*\.\d{3}\.\d{3}-\*\*/);
  await expect(page.getByTestId('payment-status')).toContainText('Aprovada');
  await saveScreenshot('payment-choose');

  // By keyboard: the arrows move between PIX and boleto (the button says which), Enter makes the charge.
  const make = page.getByTestId('payment-make');
  await page.getByTestId('pay-by-pix').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('pay-by-boleto')).toBeChecked();
  await expect(make).toHaveText('Gerar boleto');
  await page.keyboard.press('ArrowLeft');
  await expect(make).toHaveText('Gerar PIX');
  await page.getByTestId('payment-installments').selectOption('1');
  await make.focus();
  await page.keyboard.press('Enter');

  const charge = page.getByTestId('payment-charge');
  await expect(charge).toHaveAttribute('data-by', 'PIX');
  await expect(page.getByTestId('pix-qr')).toBeVisible();
  expect(await page.getByTestId('pix-qr').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const code = await page.getByTestId('pix-code').inputValue();
  expect(code).toMatch(/^000201/);
  await expect(page.getByTestId('pix-expires')).toContainText(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  await page.getByTestId('pix-code-copy').click();
  await expect(page.getByTestId('pix-code-copy')).toHaveText('Copiado');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
  await expect(page.getByTestId('payment-waiting')).toContainText('Aguardando confirmação');
  await expect(page.getByTestId('payment-status')).toContainText('Aguardando pagamento');
  await saveScreenshot('payment-pix');

  // Staff mark it paid at the fake; the student's page, never reloaded, follows the live event.
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  await atTheFake(browser, baseURL!, async (staff) => {
    const row = staff.getByTestId('test-charge').filter({ hasText: 'R$ 200,00' });
    await expect(row).toHaveCount(1);
    await row.getByTestId('mark-paid').click();
    await expect(row.getByTestId('provider-status').locator('[data-status]')).toHaveAttribute('data-status', /RECEIVED|CONFIRMED/);
    await staff.screenshot({ path: 'end2end/test-results/screenshots/payment-staff-marked-paid.png', fullPage: true });
  });
  await expect(page.getByTestId('payment-confirmed')).toContainText('Pagamento confirmado — matrícula realizada', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('payment-status')).toContainText('Matriculado');
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await saveScreenshot('payment-confirmed');

  // The comprovante is one tap away.
  await page.getByTestId('payment-certificate').click();
  await page.waitForURL(/\/comprovante$/);
  await hydrated(page);
  await expect(page.getByTestId('certificate')).toContainText('Fernanda Lopes');
});

test('a double click on "Gerar PIX" makes one charge, and a reload shows it', async ({
  page,
  browser,
  baseURL,
  saveScreenshot,
}) => {
  test.setTimeout(90_000);
  await signIn(page, 'famath', GUSTAVO);
  await page.goto('/famath/portal');
  await hydrated(page);
  await page.getByTestId('application-details').click();
  await page.waitForURL(/\/portal\/inscricao\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await page.getByTestId('status-pay').click();
  await page.waitForURL(/\/pagamento$/);
  await hydrated(page);
  await expect(page.getByTestId('payment-amount')).toHaveText('R$ 99,00');
  await expect(page.getByTestId('payment-installments')).toHaveCount(0);

  // Two clicks in one go, before the page can disable the button: both reach the server.
  const requests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/enrollment/payment/charge')) requests.push(request.url());
  });
  await page.getByTestId('payment-make').evaluate((button: HTMLButtonElement) => {
    button.click();
    button.click();
  });
  await expect(page.getByTestId('pix-qr')).toBeVisible();
  expect(requests.length, 'both clicks asked the server').toBe(2);
  const code = await page.getByTestId('pix-code').inputValue();
  await saveScreenshot('payment-double-click');

  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('pix-code')).toHaveValue(code);
  await expect(page.getByTestId('payment-make')).toHaveCount(0);
  await saveScreenshot('payment-after-reload');

  await atTheFake(browser, baseURL!, async (staff) => {
    await expect(staff.getByTestId('test-charges')).toBeVisible();
    await expect(staff.getByTestId('test-charge').filter({ hasText: 'R$ 99,00' }), 'one charge at Asaas').toHaveCount(1);
  });
});
