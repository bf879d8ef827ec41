import type { Page } from '@playwright/test';
import { test, expect, hydrated, signIn } from '../support/fixtures';

// Staff on a desktop review the demo student's submitted application: the list with its filters, the application
// page with a document in the viewer, one document refused with a reason and changes requested; the student reads
// the reason, sends the document again and resubmits; staff approve it and the class has one seat less.
test.use({ viewport: { width: 1440, height: 900 } });

/** The seats left the public catalog shows for the class whose card has `course` and `shift`. */
async function seatsLeft(page: Page, course: string, shift: string): Promise<number> {
  await page.goto('/famath/cursos');
  await hydrated(page);
  const card = page.getByTestId('open-classes').locator('li').filter({ hasText: course }).filter({ hasText: shift });
  const text = (await card.first().innerText()).replace(/\s+/g, ' ');
  const match = text.match(/(\d+) vagas|Últimas vagas: (\d+)/);
  expect(match, text).not.toBeNull();
  return Number(match![1] ?? match![2]);
}

test('staff filter the list, refuse a document and request changes; the student resends; staff approve', async ({
  page,
  saveScreenshot,
}) => {
  test.setTimeout(120_000);
  await signIn(page, 'famath', 'secretaria@famath.example');
  await page.goto('/famath/matriculas/inscricoes');
  await hydrated(page);
  await expect(page.getByTestId('status-chips')).toContainText('Enviada');
  await saveScreenshot('review-list');

  // The status chip and the search land in the address (reload keeps them).
  await page.getByTestId('status-chip-submitted').click();
  await page.waitForURL('**/inscricoes?situacao=submitted');
  await page.getByTestId('filter-search').fill('João Pedro');
  await page.getByTestId('filter-apply').click();
  await page.waitForURL(/busca=Jo/);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('filter-search')).toHaveValue('João Pedro');
  const table = page.getByTestId('applications-table');
  await expect(table).toContainText('João Pedro Alves');
  await expect(table).toContainText('***.456.789-**');
  await saveScreenshot('review-list-filtered');

  await table.getByRole('link', { name: 'João Pedro Alves' }).click();
  await page.waitForURL(/\/famath\/matriculas\/inscricoes\/[0-9a-f-]{36}$/);
  await hydrated(page);
  const application = page.url().split('/').pop()!;
  await expect(page.getByTestId('application-status')).toContainText('Em análise');
  const subtitle = await page.locator('h1 + p').first().innerText();
  const [course, , shift] = subtitle.split(' · ');
  await expect(page.getByTestId('document-frame').or(page.getByTestId('document-image')).first()).toBeVisible();
  await saveScreenshot('review-application');

  // Refuse the first document: a reason from the list, a text for the student.
  const refused = (await page.getByTestId('document-line').first().locator('p').first().innerText()).trim();
  await page.getByTestId('document-reason').selectOption('ilegivel');
  await page.getByTestId('document-reason-text').fill('A foto está tremida, envie de novo.');
  await page.getByTestId('document-reject').click();
  await expect(page.getByTestId('document-line').first()).toContainText('Recusado');
  await saveScreenshot('review-document-rejected');

  await page.getByTestId('decide-changes').click();
  await expect(page.getByTestId('decision-modal')).toBeVisible();
  await page.getByTestId('decision-reason').fill('Reenvie o documento recusado.');
  await saveScreenshot('review-request-changes');
  await page.getByTestId('decision-confirm').click();
  await expect(page.getByTestId('application-status')).toContainText('Correções pedidas');
  await expect(page.getByTestId('timeline')).toContainText('Reenvie o documento recusado.');
  await saveScreenshot('review-changes-requested');
  const seatsBefore = await seatsLeft(page, course, shift);

  // The student reads why and sends the document again, then resubmits.
  await page.context().clearCookies();
  await signIn(page, 'famath', 'joao@famath.example');
  await page.goto(`/famath/portal/inscricao/${application}/documentos`);
  await hydrated(page);
  const item = page.getByTestId('document-item').filter({ hasText: refused });
  await expect(item.getByTestId('document-reason')).toContainText('A foto está tremida');
  await saveScreenshot('review-student-sees-reason');
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 0x20), Buffer.from('\n%%EOF\n')]);
  await item.locator('input[type=file]').setInputFiles({ name: 'documento-novo.pdf', mimeType: 'application/pdf', buffer: pdf });
  await item.getByTestId('document-send').click();
  await expect(item).toHaveAttribute('data-status', 'pending');
  await saveScreenshot('review-student-resent');
  // The demo's applications were walked past the wizard without a contract acceptance: accept it, then resubmit.
  await page.goto(`/famath/portal/inscricao/${application}/contrato`);
  await hydrated(page);
  await page.getByTestId('accept-contract').check();
  await page.getByTestId('save-step').click();
  await page.waitForURL('**/revisao');
  await hydrated(page);
  await page.getByTestId('submit-application').click();
  await page.waitForURL('**/famath/portal');

  // Staff approve the new document and the application: one seat less in the catalog.
  await page.context().clearCookies();
  await signIn(page, 'famath', 'secretaria@famath.example');
  await page.goto(`/famath/matriculas/inscricoes/${application}`);
  await hydrated(page);
  await expect(page.getByTestId('application-status')).toContainText('Em análise');
  const line = page.getByTestId('document-line').filter({ hasText: refused });
  await line.getByTestId('document-view').click();
  await expect(page.getByTestId('document-frame')).toBeVisible();
  await page.getByTestId('document-approve').click();
  await expect(line).toContainText('Aprovado');
  await page.getByTestId('decide-approve').click();
  await page.getByTestId('decision-confirm').click();
  await expect(page.getByTestId('application-status')).toContainText('Aprovada');
  await saveScreenshot('review-approved');
  expect(await seatsLeft(page, course, shift)).toBe(seatsBefore - 1);
  await saveScreenshot('review-catalog-after');
});
