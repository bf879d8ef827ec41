import fs from 'node:fs';
import type { Browser, Locator, Page, WebSocketRoute } from '@playwright/test';
import { test, expect, hydrated, signIn } from '../support/fixtures';

/** The board's columns, in order. */
const columns = (page: Page) => page.getByTestId('board-column');
const card = (page: Page, name: string) => page.getByTestId('lead-card').filter({ hasText: name });

/** The board on two screens: staff (Carlos) on `page`, the owner on a second browser context. */
async function twoScreens(page: Page, browser: Browser, baseURL: string | undefined) {
  const otherContext = await browser.newContext({ baseURL, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  const other = await otherContext.newPage();
  await signIn(page, 'famath', 'secretaria@famath.example');
  await signIn(other, 'famath', 'dona@famath.example');
  for (const tab of [page, other]) {
    await tab.goto('/famath/crm');
    await hydrated(tab);
  }
  return { other, otherContext };
}

/** The middle of an element on screen. */
async function middle(locator: Locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * One finger on a touch page, through Chromium's own touch input (CDP `Input.dispatchTouchEvent`): the page gets
 * real touch and pointer events, and the browser scrolls as it would under a finger.
 */
async function finger(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const send = (type: string, points: { x: number; y: number }[]) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
  return {
    down: (at: { x: number; y: number }) => send('touchStart', [at]),
    async move(from: { x: number; y: number }, to: { x: number; y: number }, steps = 8) {
      for (let step = 1; step <= steps; step++) {
        const x = from.x + ((to.x - from.x) * step) / steps;
        await send('touchMove', [{ x, y: from.y + ((to.y - from.y) * step) / steps }]);
      }
    },
    up: () => send('touchEnd', []),
    cancel: () => send('touchCancel', []),
    /**
     * A finger that moves at once: every event is sent before any answer is awaited. With an await per event, a
     * loaded machine could take longer than the board's hold (300 ms) between the touch and its first move, and
     * the swipe became a long press.
     */
    async swipe(from: { x: number; y: number }, to: { x: number; y: number }, steps = 8) {
      const sent = [send('touchStart', [from])];
      for (let step = 1; step <= steps; step++) {
        const x = from.x + ((to.x - from.x) * step) / steps;
        sent.push(send('touchMove', [{ x, y: from.y + ((to.y - from.y) * step) / steps }]));
      }
      sent.push(send('touchEnd', []));
      await Promise.all(sent);
    },
  };
}

/** Signs a Famath person in and opens the board. */
async function openBoard(page: Page, email: string) {
  await signIn(page, 'famath', email);
  await page.goto('/famath/crm');
  await hydrated(page);
}

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
  const { other, otherContext } = await twoScreens(page, browser, baseURL);
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
  await openBoard(page, 'consultora@famath.example');
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

test('a card dragged with the mouse on one screen moves on the other without a reload', async ({
  page,
  browser,
  baseURL,
}) => {
  // Wide enough for both columns to show without scrolling the board.
  await page.setViewportSize({ width: 1600, height: 900 });
  const { other, otherContext } = await twoScreens(page, browser, baseURL);
  const dragged = columns(page).nth(2).getByTestId('lead-card').first();
  const id = await dragged.getAttribute('data-lead');
  // A real HTML5 drag with the mouse: press on the card, move over the next column, release.
  const from = await dragged.boundingBox();
  const to = await columns(page).nth(3).boundingBox();
  if (!from || !to) throw new Error('the card or the column is not on screen');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + 40, { steps: 10 });
  await page.mouse.move(to.x + to.width / 2, to.y + 60, { steps: 5 });
  await page.mouse.up();
  const moved = (tab: Page, column: number) => columns(tab).nth(column).locator(`[data-lead="${id}"]`);
  await expect(moved(page, 3)).toHaveCount(1);
  await expect(moved(other, 3)).toHaveCount(1);
  await expect(moved(other, 2)).toHaveCount(0);
  // The move was saved: a reload shows it where it went.
  await page.reload();
  await hydrated(page);
  await expect(moved(page, 3)).toHaveCount(1);
  await otherContext.close();
});

test('a consultant opening a lead of someone else sees only its shared fields, and the address keeps it open', async ({
  page,
}) => {
  await openBoard(page, 'consultora@famath.example');
  // The demo gives some leads to the staff (Carlos Lima): not Marina's.
  const theirs = page.getByTestId('lead-card').filter({ hasText: 'Carlos Lima' }).first();
  const id = await theirs.getAttribute('data-lead');
  const name = (await theirs.locator('h3').innerText()).trim();
  await theirs.click();
  await expect(page).toHaveURL(new RegExp(`lead=${id}`));
  const drawer = page.getByTestId('lead-drawer');
  await expect(drawer.getByRole('heading', { level: 2 })).toHaveText(name);
  await expect(drawer.getByTestId('drawer-shared-only')).toBeVisible();
  await expect(drawer.getByTestId('drawer-owner')).toHaveText('Carlos Lima');
  await expect(drawer.getByTestId('drawer-form')).toHaveCount(0);
  await expect(drawer.getByTestId('drawer-timeline')).toHaveCount(0);
  await expect(drawer.getByTestId('drawer-assign')).toHaveCount(0);
  await expect(drawer).not.toContainText('+55');

  await page.reload();
  await hydrated(page);
  await expect(drawer.getByRole('heading', { level: 2 })).toHaveText(name);
  await expect(drawer.getByTestId('drawer-shared-only')).toBeVisible();
  await drawer.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(page).not.toHaveURL(/lead=/);
  await expect(page.locator(`[data-testid="lead-card"][data-lead="${id}"]`)).toBeFocused();
});

test('staff edit a lead in the drawer, a note joins its timeline, and the filtered CSV downloads', async ({
  page,
  saveScreenshot,
}) => {
  await openBoard(page, 'secretaria@famath.example');
  const first = columns(page).nth(1).getByTestId('lead-card').first();
  const id = await first.getAttribute('data-lead');
  await first.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`lead=${id}`));
  const drawer = page.getByTestId('lead-drawer');
  await expect(drawer.getByTestId('drawer-form')).toBeVisible();
  await expect(drawer.getByTestId('drawer-chat')).toContainText('Conversa');
  await expect(drawer.getByTestId('drawer-ai')).toContainText('Qualificação IA');

  // A field error shows under its field.
  await drawer.getByTestId('drawer-phone').fill('12');
  await drawer.getByTestId('drawer-save').click();
  await expect(drawer.getByTestId('drawer-phone')).toHaveAttribute('aria-invalid', 'true');

  await drawer.getByTestId('drawer-name').fill('Lívia Drawer Teste');
  await drawer.getByTestId('drawer-phone').fill('(83) 98765-1234');
  await drawer.getByTestId('drawer-value-input').fill('350.000,00');
  await drawer.getByTestId('drawer-save').click();
  await expect(page.getByTestId('toast')).toContainText('Lead salvo');
  await expect(drawer.getByTestId('drawer-value')).toHaveText(/350\.000,00/);
  await expect(drawer.getByTestId('drawer-timeline').locator('[data-kind="edited"]')).toHaveCount(1);
  await expect(page.locator(`[data-testid="lead-card"][data-lead="${id}"]`)).toContainText('Lívia Drawer Teste');

  await drawer.getByTestId('drawer-note').fill('Cliente pediu retorno amanhã às 10h');
  await drawer.getByTestId('drawer-note-add').click();
  await expect(drawer.getByTestId('drawer-notes')).toContainText('Cliente pediu retorno amanhã às 10h');
  await expect(drawer.getByTestId('drawer-timeline').locator('[data-kind="note"]')).toHaveCount(1);
  await saveScreenshot('crm-drawer');

  // The CSV of the board as filtered (by the edited name), read back.
  await page.goto('/famath/crm?busca=L%C3%ADvia+Drawer');
  await hydrated(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('board-export').click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.startsWith('\ufeffNome;Telefone;E-mail;CPF;Funil;Etapa;')).toBe(true);
  const rows = csv.trim().split('\r\n').slice(1);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toContain('Lívia Drawer Teste;\'+5583987651234;');
  expect(rows[0]).toContain(';350000,00;');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/famath/crm?lead=${id}`);
  await hydrated(page);
  await expect(drawer.getByTestId('drawer-notes')).toContainText('Cliente pediu retorno');
  await saveScreenshot('crm-drawer-phone');
});

test('the lead drawer\'s code is fetched when a card is opened, not with the board', async ({ page }) => {
  await signIn(page, 'famath', 'secretaria@famath.example');
  const wasm: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) wasm.push(path);
  });
  await page.goto('/famath/crm');
  await hydrated(page);
  await expect(columns(page).first().getByTestId('lead-card').first()).toBeVisible();
  const board = new Set(wasm);
  await columns(page).nth(1).getByTestId('lead-card').first().click();
  await expect(page.getByTestId('drawer-form')).toBeVisible();
  expect(wasm.filter((path) => !board.has(path)), 'wasm chunks fetched on opening a card').not.toEqual([]);
});

test.describe('on a touch phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('a tap opens a card and "Mover" sends it to another stage', async ({ page, saveScreenshot }) => {
    await openBoard(page, 'consultora@famath.example');
    const mine = columns(page).nth(0).getByTestId('lead-card').filter({ hasText: 'Marina Costa' }).first();
    const id = await mine.getAttribute('data-lead');
    await mine.tap();
    const drawer = page.getByTestId('lead-drawer');
    await expect(drawer.getByTestId('drawer-move')).toBeVisible();
    const target = await columns(page).nth(2).getAttribute('data-stage');
    await drawer.getByTestId('drawer-stage-select').selectOption(target ?? '');
    await drawer.getByTestId('drawer-move-save').tap();
    await expect(drawer.getByTestId('drawer-timeline').locator('[data-kind="moved"]').first()).toBeVisible();
    await expect(columns(page).nth(2).locator(`[data-lead="${id}"]`)).toHaveCount(1);
    await saveScreenshot('crm-drawer-move-phone');
    await drawer.getByTestId('drawer-close').tap();
    await page.reload();
    await hydrated(page);
    await expect(columns(page).nth(2).locator(`[data-lead="${id}"]`)).toHaveCount(1);
  });

  test('a long press picks a card up and the finger drops it atop the next column, live on the other screen', async ({
    page,
    browser,
    baseURL,
    saveScreenshot,
  }) => {
    const { other, otherContext } = await twoScreens(page, browser, baseURL);
    const lifted = columns(page).nth(0).getByTestId('lead-card').first();
    const id = (await lifted.getAttribute('data-lead')) ?? '';
    const target = columns(page).nth(1);
    // The next column peeks in at the phone's right edge: aim at the upper half of its first card.
    const top = await target.getByTestId('lead-card').first().boundingBox();
    if (!top) throw new Error('the next column is not on screen');
    const from = await middle(lifted);
    const to = { x: top.x + 8, y: top.y + 8 };
    const touch = await finger(page);
    await touch.down(from);
    // The finger rests: the card is picked up, and the other screen is told who is moving a card.
    await expect(page.getByTestId('touch-ghost')).toBeVisible();
    await expect(lifted).toHaveAttribute('data-lifted', '');
    await expect(other.getByTestId('board-presence')).toContainText('está movendo um card');
    await touch.move(from, to);
    await expect(target).toHaveAttribute('data-drop', 'top');
    await saveScreenshot('crm-touch-drag-phone');
    await touch.up();
    await expect(page.getByTestId('touch-ghost')).toHaveCount(0);
    for (const tab of [page, other]) {
      await expect(columns(tab).nth(1).getByTestId('lead-card').first()).toHaveAttribute('data-lead', id);
      await expect(columns(tab).nth(0).locator(`[data-lead="${id}"]`)).toHaveCount(0);
    }
    await expect(other.getByTestId('board-presence')).not.toContainText('está movendo');
    // A drag is not a tap: the card did not open.
    await expect(page.getByTestId('lead-drawer')).toHaveCount(0);
    await page.reload();
    await hydrated(page);
    await expect(columns(page).nth(1).getByTestId('lead-card').first()).toHaveAttribute('data-lead', id);
    await otherContext.close();
  });

  test('a swipe on a card scrolls the board; a dragged card scrolls it at the edge and a cancel puts it back', async ({
    page,
  }) => {
    await openBoard(page, 'consultora@famath.example');
    const board = page.getByTestId('board');
    const scrolled = () => board.evaluate((element) => element.scrollLeft);
    const first = columns(page).nth(0).getByTestId('lead-card').first();
    const id = (await first.getAttribute('data-lead')) ?? '';
    const touch = await finger(page);
    // A finger that moves at once scrolls: nothing is picked up, nothing opens.
    const from = await middle(first);
    await touch.swipe(from, { x: from.x - 150, y: from.y });
    await expect.poll(scrolled).toBeGreaterThan(0);
    await expect(page.getByTestId('touch-ghost')).toHaveCount(0);
    await expect(page.getByTestId('lead-drawer')).toHaveCount(0);

    // The swipe's fling settles, then the board goes back to its start.
    await expect
      .poll(async () => {
        const before = await scrolled();
        await page.waitForTimeout(200);
        return before === (await scrolled());
      })
      .toBe(true);
    await board.evaluate((element) => element.scrollTo(0, 0));
    await expect.poll(scrolled).toBe(0);
    const again = await middle(first);
    await touch.down(again);
    await expect(page.getByTestId('touch-ghost')).toBeVisible();
    // Carried to the right edge, the card scrolls the board towards the next columns.
    await touch.move(again, { x: 385, y: again.y }, 12);
    await expect.poll(scrolled).toBeGreaterThan(0);
    await expect(page.locator('[data-testid="board-column"][data-drop]')).toHaveCount(1);
    await touch.cancel();
    await expect(page.getByTestId('touch-ghost')).toHaveCount(0);
    await expect(page.locator('[data-testid="board-column"][data-drop]')).toHaveCount(0);
    await expect(columns(page).nth(0).locator(`[data-lead="${id}"]`)).toHaveCount(1);
    await page.reload();
    await hydrated(page);
    await expect(columns(page).nth(0).locator(`[data-lead="${id}"]`)).toHaveCount(1);
  });
});
