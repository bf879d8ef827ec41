import { test, expect, hydrated, signIn } from '../support/fixtures';

test('staff mark a test PIX charge paid and Atrium follows through the webhook and the job queue', async ({
  page,
  saveScreenshot,
}) => {
  await signIn(page, 'famath', 'secretaria@famath.example');
  await page.goto('/famath/configuracoes');
  await hydrated(page);
  await page.getByTestId('settings-test-payments').click();
  await page.waitForURL('**/famath/configuracoes/pagamentos-teste');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Pagamentos de teste' })).toBeVisible();

  await page.getByTestId('new-pix-charge').click();
  const row = page.getByTestId('test-charge').first();
  await expect(row.getByTestId('provider-status')).toContainText('Aguardando pagamento');
  await expect(row.getByTestId('our-status')).toContainText('aguardando evento');
  await expect(row).toContainText('R$ 150,00');
  await page.getByTestId('new-boleto-charge').click();
  await expect(page.getByTestId('test-charge')).toHaveCount(2);

  // The PIX charge (now second, newest first) is paid at the simulated Asaas, which sends the webhook.
  const pix = page.getByTestId('test-charge').filter({ hasText: 'PIX' });
  await pix.getByTestId('mark-paid').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Webhook enviado' })).toBeVisible();
  await expect(async () => {
    await page.getByTestId('test-payments-refresh').click();
    await expect(pix.getByTestId('our-status')).toContainText('Paga', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(pix.getByTestId('provider-status')).toContainText('Paga');
  await saveScreenshot('test-payments-paid');
  // Every row action fits inside the table's card at the suite's laptop width (no button cut by the scroll frame;
  // IntersectionObserver clips by the scrolling ancestor).
  for (const action of ['mark-paid', 'mark-overdue', 'mark-refunded']) {
    await expect(pix.getByTestId(action)).toBeInViewport({ ratio: 1 });
  }

  // The queue page: nothing stuck, nothing dead.
  await page.goto('/famath/configuracoes/tarefas');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Tarefas em segundo plano' })).toBeVisible();
  await expect(page.getByTestId('no-dead-jobs')).toBeVisible();
  await saveScreenshot('jobs-page');
});

test('a student cannot open the jobs page', async ({ page }) => {
  await signIn(page, 'famath', 'joao@famath.example');
  const response = await page.goto('/famath/configuracoes/tarefas');
  expect(response?.status()).toBe(403);
});
