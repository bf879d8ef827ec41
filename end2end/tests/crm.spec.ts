import type { Page, WebSocketRoute } from '@playwright/test';
import { test, expect, hydrated, signIn } from '../support/fixtures';

/** The board's columns, in order. */
const columns = (page: Page) => page.getByTestId('board-column');
const card = (page: Page, name: string) => page.getByTestId('lead-card').filter({ hasText: name });

/** The name of the first card of the first column. */
async function firstCardName(page: Page): Promise<string> {
  return (await columns(page).nth(0).getByTestId('lead-card').first().locator('h3').innerText()).trim();
}

test('a card moved by keyboard on one screen moves on the other without a reload', async ({
  page,
  browser,
  baseURL,
  saveScreenshot,
}) => {
  const otherContext = await browser.newContext({ baseURL, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  const other = await otherContext.newPage();
  await signIn(page, 'famath', 'secretaria@famath.example');
  await signIn(other, 'famath', 'dona@famath.example');
  for (const tab of [page, other]) {
    await tab.goto('/famath/crm');
    await hydrated(tab);
  }
  // Both are here.
  await expect(page.getByTestId('board-presence')).toBeVisible();
  const name = await firstCardName(page);
  await card(page, name).focus();
  await page.keyboard.press('Alt+ArrowRight');
  await expect(columns(page).nth(1).getByTestId('lead-card').filter({ hasText: name })).toHaveCount(1);
  await expect(page.getByTestId('board-announcer')).toContainText(name);
  await expect(card(page, name)).toBeFocused();
  await expect(columns(other).nth(1).getByTestId('lead-card').filter({ hasText: name })).toHaveCount(1);
  await expect(columns(other).nth(0).getByTestId('lead-card').filter({ hasText: name })).toHaveCount(0);
  await saveScreenshot('crm-board');
  await otherContext.close();
});

test('a move based on a card someone else moved first is refused and the board says why', async ({
  page,
  browser,
  baseURL,
}) => {
  // The owner's screen is cut off from the live channel, so it still shows the card where it was.
  const otherContext = await browser.newContext({ baseURL, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  const other = await otherContext.newPage();
  const sockets: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  let refuse = false;
  await other.routeWebSocket(/\/ws$/, (ws) => {
    if (refuse) {
      ws.close();
      return;
    }
    sockets.push({ page: ws, server: ws.connectToServer() });
  });
  await signIn(page, 'famath', 'secretaria@famath.example');
  await signIn(other, 'famath', 'dona@famath.example');
  for (const tab of [page, other]) {
    await tab.goto('/famath/crm');
    await hydrated(tab);
  }
  const name = await firstCardName(page);
  refuse = true;
  for (const socket of sockets.splice(0)) {
    await socket.server.close();
    await socket.page.close();
  }
  await card(page, name).focus();
  await page.keyboard.press('Alt+ArrowRight');
  await expect(columns(page).nth(1).getByTestId('lead-card').filter({ hasText: name })).toHaveCount(1);

  await card(other, name).focus();
  await other.keyboard.press('Alt+ArrowRight');
  await expect(other.getByTestId('toast')).toContainText('Outra pessoa mexeu neste lead antes de você');
  await expect(other.getByTestId('board-announcer')).toContainText('antes de você');
  // The board was fetched again: the card is where the first move put it, not two columns on.
  await expect(columns(other).nth(1).getByTestId('lead-card').filter({ hasText: name })).toHaveCount(1);
  await expect(columns(other).nth(2).getByTestId('lead-card').filter({ hasText: name })).toHaveCount(0);
  await otherContext.close();
});

test('the board works at phone width: columns scroll sideways, cards stay readable', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'famath', 'consultora@famath.example');
  await page.goto('/famath/crm');
  await hydrated(page);
  await expect(columns(page).first().getByTestId('lead-card').first()).toBeVisible();
  const board = page.getByTestId('board');
  expect(await board.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
  await page.screenshot({ path: 'end2end/test-results/screenshots/crm-board-phone.png', fullPage: true });
});

test('a lead sent from the public form appears live on the board', async ({ page, browser, baseURL }) => {
  await signIn(page, 'credvale', 'financeiro@credvale.example');
  await page.goto('/credvale/crm');
  await hydrated(page);
  await expect(columns(page).first()).toBeVisible();

  // A visitor on a phone, not signed in.
  const visitorContext = await browser.newContext({
    baseURL,
    locale: 'pt-BR',
    timezoneId: 'America/Sao_Paulo',
    viewport: { width: 390, height: 844 },
  });
  const visitor = await visitorContext.newPage();
  await visitor.goto('/credvale/simular');
  await hydrated(visitor);
  await visitor.getByTestId('name').fill('Helena Bastos');
  await visitor.getByTestId('phone').fill('(83) 98111-2233');
  await visitor.getByTestId('value').fill('420.000,00');
  await visitor.getByTestId('simulate-submit').click();
  await expect(visitor.getByText('marque que concorda em ser contatado')).toBeVisible();
  await visitor.getByTestId('consent').check();
  await visitor.getByTestId('simulate-submit').click();
  await expect(visitor.getByTestId('simulate-done')).toBeVisible();
  await visitor.screenshot({ path: 'end2end/test-results/screenshots/crm-simulate-phone.png', fullPage: true });
  await visitorContext.close();

  await expect(columns(page).first().getByTestId('lead-card').filter({ hasText: 'Helena Bastos' })).toHaveCount(1);
});
