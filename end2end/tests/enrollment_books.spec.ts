import { test, expect, hydrated, signIn } from '../support/fixtures';

// After the payment, on a desktop, for staff: a demo student's enrollment charge is paid at the fake Asaas (the
// test-payments page), and the tuition and Asaas' fee appear in the finance DRE; a refund marked at the fake cancels
// the enrollment and gives the seat back (the class's seats left go up).

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
  await signIn(page, 'famath', 'candidato4@famath.example');
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
