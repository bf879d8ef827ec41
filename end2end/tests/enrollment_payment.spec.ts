import type { Browser, Page } from '@playwright/test';
import { test, expect, hydrated, signIn } from '../support/fixtures';

// The student pays the enrollment fee on a phone: PIX through the fake Asaas, marked paid by staff on the
// test-payments page (desktop), and the student's page says "matriculado" by itself (webhook → job → live event; the
// page ships no wasm, its small script reloads it on the event). A double post of "Gerar PIX" makes one charge. The demo's paying applicants: Fernanda Lopes (approved,
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
  // The button's words follow the checked radio through CSS (both are in the page; one shows).
  await expect(make).toHaveText('Gerar boleto', { useInnerText: true });
  await page.keyboard.press('ArrowLeft');
  await expect(make).toHaveText('Gerar PIX', { useInnerText: true });
  await page.getByTestId('payment-installments').selectOption('1');
  await make.focus();
  await page.keyboard.press('Enter');

  const charge = page.getByTestId('payment-charge');
  await expect(charge).toHaveAttribute('data-by', 'PIX');
  await expect(page.getByTestId('pix-qr')).toBeVisible();
  expect(await page.getByTestId('pix-qr').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100); // a real QR code, not a placeholder pixel
  const code = await page.getByTestId('pix-code').inputValue();
  expect(code).toMatch(/^000201/);
  await expect(page.getByTestId('pix-expires')).toContainText(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  await page.getByTestId('pix-code-copy').click();
  await expect(page.getByTestId('pix-code-copy')).toHaveText('Copiado');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
  await expect(page.getByTestId('payment-waiting')).toContainText('Aguardando confirmação');
  await expect(page.getByTestId('payment-status')).toContainText('Aguardando pagamento');
  await saveScreenshot('payment-pix');

  // Staff mark it paid at the fake; the student's page, left alone, follows the live event (its script reloads it).
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

  // Two clicks in one go: the page sends its form once.
  const requests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/enrollment/payment/charge')) requests.push(request.url());
  });
  // First, the same form posted twice behind the page's back (a retry after a lost answer): both reach the server.
  const posted = await page.getByTestId('payment-choose').evaluate(async (form: HTMLFormElement) => {
    const send = () => fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>) });
    return (await Promise.all([send(), send()])).map((response) => response.status);
  });
  expect(posted, 'both posts were answered').toEqual([200, 200]);
  await page.getByTestId('payment-make').evaluate((button: HTMLButtonElement) => {
    button.click();
    button.click();
  });
  await expect(page.getByTestId('pix-qr')).toBeVisible();
  expect(requests.length, 'two fetches and one post of the form').toBe(3);
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

// After the payment, on a desktop, for staff: Gustavo's charge (made by the double click above; this test runs after
// it, in the same file, because the browser tests share one server per run and a refund would leave him cancelled)
// is paid at the fake Asaas (the test-payments page), and the tuition and Asaas' fee appear in the finance DRE; a
// refund marked at the fake cancels the enrollment and gives the seat back (the class's seats left go up).
test.describe('after the payment (staff, desktop)', () => {
  test.use({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });

  /** Sum of "seats left" of the classes of `course` and `term` on the classes page ("Lotada" counts 0). */
  async function seatsLeft(page: import('@playwright/test').Page, course: string, term: string): Promise<number> {
    await page.goto('/famath/matriculas/turmas');
    await hydrated(page);
    const rows = page.getByTestId('class-row').filter({ hasText: course }).filter({ hasText: term });
    await expect(rows.first()).toBeVisible();
    let total = 0;
    for (const text of await rows.getByTestId('class-seats').allInnerTexts()) {
      const match = text.match(/(\d+)\s*\//);
      total += match ? Number(match[1]) : 0;
    }
    return total;
  }

  test('a paid demo charge is booked in the DRE with its fee; a refund at the fake cancels and frees the seat', async ({
    page,
    baseURL,
    saveScreenshot,
  }) => {
    // The student awaiting payment (Gustavo Pires) makes his PIX charge, as his payment page would.
    await signIn(page, 'famath', 'candidato5@famath.example');
    await page.goto('/famath/portal');
    await hydrated(page);
    const href = await page.getByTestId('my-applications').getByTestId('application-details').first().getAttribute('href');
    const id = (href ?? '').match(/[0-9a-f-]{36}/)?.[0] ?? '';
    expect(id).not.toBe('');
    const headers = { origin: baseURL as string };
    const summary = await page.request.post('/api/enrollment/payment/page', { form: { id }, headers });
    expect(summary.ok()).toBeTruthy();
    const { course_name: course, term } = await summary.json();
    const charge = await page.request.post('/api/enrollment/payment/charge', {
      form: { id, by: 'PIX', installments: '1' },
      headers,
    });
    expect(charge.ok(), await charge.text()).toBeTruthy();
    const value: number = (await charge.json()).value_cents;
    const money = (cents: number) => `R$ ${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
    await page.context().clearCookies();

    // The owner marks it paid at the fake Asaas; the webhook enrolls and books.
    await signIn(page, 'famath', 'dona@famath.example');
    const seatsBefore = await seatsLeft(page, course, term);
    await page.goto('/famath/configuracoes/pagamentos-teste');
    await hydrated(page);
    const row = page.getByTestId('test-charge').filter({ hasText: money(value) }).first();
    await row.getByTestId('mark-paid').click();
    await expect(page.getByTestId('toast').filter({ hasText: 'Webhook enviado' })).toBeVisible();
    await page.goto(`/famath/matriculas/inscricoes/${id}`);
    await hydrated(page);
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId('application-status')).toContainText('Matriculado', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId('payment-charge-status')).toContainText('Paga');
    await expect(page.getByTestId('payment-rules')).toContainText('3º dia útil');
    await saveScreenshot('books-application-paid');

    // The DRE of this month: the tuition under receita bruta, the fee under despesas financeiras.
    const month = new Date().toISOString().slice(0, 7);
    await page.goto(`/famath/financeiro/dre/lancamentos?linha=receita_bruta&base=competencia&de=${month}&ate=${month}`);
    await hydrated(page);
    await expect(page.getByText(/Matrícula .* — Gustavo Pires/).first()).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: 'Gustavo Pires' }).first()).toContainText(money(value));
    await saveScreenshot('books-dre-tuition');
    await page.goto(`/famath/financeiro/dre/lancamentos?linha=despesas_financeiras&base=competencia&de=${month}&ate=${month}`);
    await hydrated(page);
    await expect(page.getByRole('row').filter({ hasText: 'Tarifa Asaas' }).first()).toContainText('R$ 1,99');
    await saveScreenshot('books-dre-fee');

    // A refund marked at the fake: the enrollment is cancelled ("estorno") and the class has its seat back.
    const seatsEnrolled = await seatsLeft(page, course, term);
    await page.goto('/famath/configuracoes/pagamentos-teste');
    await hydrated(page);
    await page.getByTestId('test-charge').filter({ hasText: money(value) }).first().getByTestId('mark-refunded').click();
    await expect(page.getByTestId('toast').filter({ hasText: 'Webhook enviado' })).toBeVisible();
    await page.goto(`/famath/matriculas/inscricoes/${id}`);
    await hydrated(page);
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId('application-status')).toContainText('Cancelada', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId('timeline')).toContainText('estorno');
    await expect(page.getByTestId('payment-charge-status')).toContainText('Estornada');
    await saveScreenshot('books-application-refunded');
    const seatsAfter = await seatsLeft(page, course, term);
    expect(seatsAfter).toBe(seatsEnrolled + 1);
    expect(seatsBefore).toBe(seatsEnrolled); // Gustavo already held his seat while awaiting payment.
    await saveScreenshot('books-classes-after-refund');
  });
});
