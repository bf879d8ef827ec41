import type { Browser, Locator, Page } from '@playwright/test';
import { test, expect, hydrated, signIn } from '../support/fixtures';

/**
 * Signs Marina (Famath's consultant) in and opens the board; resolves once her own live topic is watched, so an
 * assignment from then on reaches her screen. Her socket makes her present for the round-robin.
 */
async function consultantBoard(page: Page) {
  await signIn(page, 'famath', 'consultora@famath.example');
  // Listen from the socket's first frame: the subscription is often answered before the page counts as hydrated.
  const watched = new Promise<void>((resolve) => {
    page.on('websocket', (socket) =>
      socket.on('framereceived', (frame) => {
        const text = String(frame.payload);
        if (text.includes('"subscribed"') && text.includes('"user:')) resolve();
      }),
    );
  });
  await page.goto('/famath/crm');
  await hydrated(page);
  await watched;
}

/** A visitor sends the public form from a phone. */
async function sendForm(browser: Browser, baseURL: string | undefined, name: string, phone: string) {
  const context = await browser.newContext({ baseURL, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  const visitor = await context.newPage();
  await visitor.goto('/famath/simular');
  await hydrated(visitor);
  await visitor.getByTestId('name').fill(name);
  await visitor.getByTestId('phone').fill(phone);
  await visitor.getByTestId('consent').check();
  await visitor.getByTestId('simulate-submit').click();
  await expect(visitor.getByTestId('simulate-done')).toBeVisible();
  await context.close();
}

test('a lead from the public form goes to the consultant by rotation, who sees the toast and the badge', async ({
  page,
  browser,
  baseURL,
  saveScreenshot,
}) => {
  await consultantBoard(page);
  await expect(page.getByTestId('desk-available')).toBeVisible();
  await sendForm(browser, baseURL, 'Helena Rodízio', '(83) 98123-4501');
  await expect(page.getByText('Novo lead atribuído a você: Helena Rodízio')).toBeVisible();
  await expect(page.getByTestId('desk-badge')).toContainText('1');
  // The card is hers on the board.
  const card = page.getByTestId('lead-card').filter({ hasText: 'Helena Rodízio' });
  await expect(card).toContainText('Marina Costa');
  await saveScreenshot('crm-rr-toast');
  // The drawer's timeline says why.
  await card.click();
  await expect(page.getByTestId('drawer-timeline')).toContainText('Atribuído pelo rodízio');
  await saveScreenshot('crm-rr-timeline');
});

test('a full consultant is skipped: the lead waits, and goes to her when staff gives her room', async ({
  page,
  browser,
  baseURL,
  saveScreenshot,
}) => {
  const staffContext = await browser.newContext({ baseURL, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  const staff = await staffContext.newPage();
  await signIn(staff, 'famath', 'secretaria@famath.example');
  await staff.goto('/famath/crm/consultores');
  await hydrated(staff);
  // The browser tests share one server: a consultant an earlier spec signed in (the accounts spec's invited Rita)
  // may still count as online. Everyone but Marina gets no room for this test, and their capacity back after it.
  const others = staff.getByTestId('team-member').filter({ hasNotText: 'Marina Costa' });
  const setCapacity = async (member: Locator, capacity: string) => {
    await member.getByTestId('team-capacity').fill(capacity);
    await member.getByTestId('team-save').click();
    await expect(member.getByTestId('team-load')).toHaveText(new RegExp(`de ${capacity}$`));
  };
  const othersCapacity: string[] = [];
  for (let index = 0; index < (await others.count()); index++) {
    othersCapacity.push(await others.nth(index).getByTestId('team-capacity').inputValue());
    await setCapacity(others.nth(index), '0');
  }
  const marina = staff.getByTestId('team-member').filter({ hasText: 'Marina Costa' });
  await marina.getByTestId('team-capacity').fill('1');
  await marina.getByTestId('team-save').click();
  await expect(staff.getByText('Capacidade salva.').first()).toBeVisible();
  await expect(marina).toContainText('Lotado');

  await consultantBoard(page);
  await sendForm(browser, baseURL, 'Bruno Fila', '(83) 98123-4502');
  // The card arrives on her board unassigned: she was skipped.
  const card = page.getByTestId('lead-card').filter({ hasText: 'Bruno Fila' });
  await expect(card).toContainText('Sem responsável');
  await saveScreenshot('crm-rr-skipped');

  await marina.getByTestId('team-capacity').fill('60');
  await marina.getByTestId('team-save').click();
  await expect(page.getByText('Novo lead atribuído a você: Bruno Fila')).toBeVisible();
  await expect(card).toContainText('Marina Costa');
  await expect(marina).not.toContainText('Lotado');
  await staff.screenshot({ path: 'end2end/test-results/screenshots/crm-rr-team.png', fullPage: true });
  for (const [index, capacity] of othersCapacity.entries()) await setCapacity(others.nth(index), capacity);
  await staffContext.close();
});
