import { test, expect, hydrated } from '../support/fixtures';

// A prospective student on a phone: the public catalog, sign-up, the wizard (class, personal data, guardian,
// contract), e-mail verification from the logged link, and the submission.
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test('a student finds a class, signs up, fills the wizard on a phone and submits after verifying the e-mail', async ({
  page,
  server,
  saveScreenshot,
}) => {
  const email = `aluna${Date.now()}@exemplo.com`;
  await page.goto('/famath/cursos');
  await hydrated(page);
  await expect(page.getByTestId('open-classes')).toContainText('Enfermagem');
  await saveScreenshot('portal-catalog');
  await page.getByTestId('apply').first().click();

  await page.waitForURL('**/famath/cadastro-aluno?turma=*');
  await hydrated(page);
  await expect(page.getByTestId('chosen-class')).toBeVisible();
  await page.getByTestId('name').fill('Ana Beatriz Lima');
  await page.getByTestId('cpf').fill('529.982.247-25');
  await page.getByTestId('email').fill(email);
  await page.getByTestId('phone').fill('(83) 99999-1234');
  await page.getByTestId('password').fill('uma senha bem longa');
  await saveScreenshot('portal-sign-up');
  await page.getByTestId('sign-up').click();

  await page.waitForURL('**/famath/portal/inscricao/nova?turma=*');
  await hydrated(page);
  await saveScreenshot('portal-new-application');
  await page.getByTestId('start-application').click();

  await page.waitForURL('**/dados');
  await hydrated(page);
  await expect(page.getByTestId('wizard-steps')).toBeVisible();
  await page.getByTestId('birth-date').fill('2006-03-14');
  await page.getByTestId('phone').fill('(83) 98888-7777');
  await page.getByTestId('postal-code').fill('5801-420');
  await page.getByTestId('street').fill('Rua das Trincheiras');
  await page.getByTestId('street-number').fill('120');
  await page.getByTestId('district').fill('Centro');
  await page.getByTestId('city').fill('João Pessoa');
  await page.getByTestId('uf').fill('PB');
  await saveScreenshot('portal-personal');
  // The step is plain HTML: a refused post comes back with the error and everything typed still in place.
  await page.getByTestId('save-step').click();
  await expect(page.locator('#field-form-postal_code-error')).toBeVisible();
  await hydrated(page);
  await expect(page.getByTestId('street')).toHaveValue('Rua das Trincheiras');
  await expect(page.getByTestId('city')).toHaveValue('João Pessoa');
  await expect(page.getByTestId('postal-code')).toHaveValue('5801-420');
  // Focus waits on the field in error, and the address carries no error details (a reload starts clean).
  await expect(page.getByTestId('postal-code')).toBeFocused();
  await expect(page).toHaveURL(/\/dados$/);
  await saveScreenshot('portal-personal-refused');
  await page.getByTestId('postal-code').fill('58013-420');
  await page.getByTestId('save-step').click();

  await page.waitForURL('**/responsavel');
  await hydrated(page);
  // The guardian's fields show only for another person (CSS: the page has no wasm).
  await page.getByTestId('guardian-self').check();
  await expect(page.getByTestId('guardian-fields')).toBeHidden();
  await page.getByTestId('guardian-other').check();
  await expect(page.getByTestId('guardian-fields')).toBeVisible();
  await page.getByTestId('guardian-name').fill('Marta Lima');
  await page.getByTestId('guardian-cpf').fill('111.444.777-35');
  await page.getByTestId('guardian-email').fill('marta@exemplo.com');
  await saveScreenshot('portal-guardian');
  await page.getByTestId('save-step').click();

  // The documents the course asks for. The browser refuses a file over the cap before sending it.
  await page.waitForURL('**/documentos');
  await hydrated(page);
  const items = page.getByTestId('document-item');
  const count = await items.count();
  expect(count).toBeGreaterThan(0);
  const first = items.first();
  await first
    .locator('input[type=file]')
    .setInputFiles({ name: 'grande.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(11 * 1024 * 1024, 0x25) });
  await first.getByTestId('document-send').click();
  await expect(first.getByTestId('document-error')).toContainText('passa de 10 MB');
  await saveScreenshot('portal-documents-too-large');
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 0x20), Buffer.from('\n%%EOF\n')]);
  for (let n = 0; n < count; n++) {
    const item = items.nth(n);
    await item.locator('input[type=file]').setInputFiles({ name: `documento-${n}.pdf`, mimeType: 'application/pdf', buffer: pdf });
    await item.getByTestId('document-send').click();
    await expect(item).toHaveAttribute('data-status', 'pending');
  }
  await saveScreenshot('portal-documents');
  await page.getByTestId('documents-continue').click();
  await page.waitForURL('**/contrato');
  await hydrated(page);
  await expect(page.getByTestId('contract-body')).toContainText('LGPD');
  await page.getByTestId('accept-contract').check();
  await saveScreenshot('portal-contract');
  await page.getByTestId('save-step').click();

  await page.waitForURL('**/revisao');
  await hydrated(page);
  await expect(page.getByTestId('unverified')).toBeVisible();
  await page.getByTestId('submit-application').click();
  await expect(page.getByTestId('form-error').last()).toContainText('Confirme seu e-mail');
  await saveScreenshot('portal-review-unverified');
  const review = page.url();

  const link = await server.lastLink(email);
  await page.goto(link);
  await hydrated(page);
  await expect(page.getByTestId('email-verified')).toBeVisible();
  await saveScreenshot('portal-email-verified');

  await page.goto(review);
  await hydrated(page);
  await page.getByTestId('submit-application').click();
  await page.waitForURL('**/famath/portal');
  await hydrated(page);
  await expect(page.getByTestId('email-banner')).toHaveCount(0);
  await expect(page.getByTestId('application-status').first()).toContainText('Enviada');
  await saveScreenshot('portal-home');

  // The status page: where the application stands and its history, newest first.
  await page.getByTestId('application-details').first().click();
  await page.waitForURL(/\/famath\/portal\/inscricao\/[0-9a-f-]+$/);
  await hydrated(page);
  await expect(page.getByTestId('status-badge')).toContainText('Enviada');
  await expect(page.getByTestId('status-event').first()).toHaveAttribute('data-status', 'submitted');
  await expect(page.getByTestId('status-timeline')).toContainText('Rascunho');
  await saveScreenshot('portal-status');

  // A second application, given up from its status page through the confirmation dialog.
  await page.goto('/famath/cursos');
  await hydrated(page);
  await page.getByTestId('apply').nth(1).click();
  await page.waitForURL('**/famath/portal/inscricao/nova?turma=*');
  await hydrated(page);
  await page.getByTestId('start-application').click();
  await page.waitForURL('**/dados');
  await page.goto(page.url().replace(/\/dados$/, ''));
  await hydrated(page);
  await expect(page.getByTestId('status-badge')).toContainText('Rascunho');
  await expect(page.getByTestId('status-resume')).toBeVisible();
  await page.getByTestId('withdraw-open').click();
  await expect(page.getByTestId('withdraw-dialog')).toBeVisible();
  await page.getByTestId('withdraw-reason').fill('Escolhi outro curso.');
  await saveScreenshot('portal-withdraw-dialog');
  await page.getByTestId('withdraw-confirm').click();
  await expect(page.getByTestId('status-badge')).toContainText('Desistência');
  await expect(page.getByTestId('status-event').first()).toContainText('Escolhi outro curso.');
  await expect(page.getByTestId('withdraw-open')).toHaveCount(0);
  await saveScreenshot('portal-withdrawn');
});
