import type { Page, WebSocketRoute } from '@playwright/test';
import { test, expect, hydrated, signIn } from '../support/fixtures';

/**
 * Two people of one tenant on the jobs page: a note sent by one shows on the other's screen without a reload, both
 * are listed as here, and a dropped socket shows "Reconectando…", comes back on its own and catches up with what
 * it missed.
 */
test('a live note crosses screens, presence lists both, and a dropped socket reconnects and resyncs', async ({
  page,
  browser,
  baseURL,
  saveScreenshot,
}) => {
  // The second person's tab; their socket goes through a route the test can cut (and refuse to reopen).
  const otherContext = await browser.newContext({ baseURL, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  const other = await otherContext.newPage();
  const errors = watchErrors(other);
  const sockets: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  let refuse = false;
  await other.routeWebSocket(/\/ws$/, (ws) => {
    if (refuse) {
      ws.close();
      return;
    }
    sockets.push({ page: ws, server: ws.connectToServer() });
  });

  await signIn(page, 'famath', 'dona@famath.example');
  await signIn(other, 'famath', 'secretaria@famath.example');
  for (const tab of [page, other]) {
    await tab.goto('/famath/configuracoes/tarefas');
    await hydrated(tab);
  }
  for (const tab of [page, other]) {
    await expect(tab.getByTestId('live-presence').getByTestId('live-present')).toHaveCount(2);
  }
  await expect(page.getByTestId('live-reconnecting')).toBeHidden();

  // A note from the owner shows on the staff member's screen, no reload.
  await page.getByTestId('live-demo-text').fill('Bom dia, equipe');
  await page.getByTestId('live-demo-send').click();
  await expect(other.getByTestId('live-demo-last')).toHaveText('Bom dia, equipe');
  await saveScreenshot('live-jobs-page');

  // The staff member's socket drops and cannot come back for now: the quiet indicator shows; the owner's screen
  // sees them leave.
  refuse = true;
  for (const socket of sockets.splice(0)) {
    await socket.server.close();
    await socket.page.close();
  }
  await expect(other.getByTestId('live-reconnecting')).toHaveText('Reconectando…');
  await expect(other.getByTestId('live-reconnecting').locator('xpath=..')).toHaveAttribute('aria-live', 'polite');
  await expect(page.getByTestId('live-presence').getByTestId('live-present')).toHaveCount(1);
  // Who is here is unknown while cut off: the list does not pretend.
  await expect(other.getByTestId('live-presence').getByTestId('live-present')).toHaveCount(0);
  await other.screenshot({ path: 'end2end/test-results/screenshots/live-reconnecting.png', fullPage: true });

  // A note sent meanwhile is missed by the dropped screen...
  await page.getByTestId('live-demo-text').fill('Enquanto você estava fora');
  await page.getByTestId('live-demo-send').click();
  await expect(page.getByTestId('live-demo-last')).toHaveText('Enquanto você estava fora');
  await expect(other.getByTestId('live-demo-last')).toHaveText('Bom dia, equipe');

  // ...until the socket is back: the topic moved on, so the page refetches and catches up.
  refuse = false;
  await expect(other.getByTestId('live-reconnecting')).toBeHidden({ timeout: 20_000 });
  await expect(other.getByTestId('live-demo-last')).toHaveText('Enquanto você estava fora');
  for (const tab of [page, other]) {
    await expect(tab.getByTestId('live-presence').getByTestId('live-present')).toHaveCount(2);
  }
  await other.screenshot({ path: 'end2end/test-results/screenshots/live-reconnected.png', fullPage: true });

  await otherContext.close();
  expect(errors, 'errors in the second browser').toEqual([]);
});

/** The fixture's rule for the default page, for a page of another context: any browser error fails the test. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${message.text()}`);
    }
  });
  return errors;
}
