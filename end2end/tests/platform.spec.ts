import { test, expect, hydrated } from '../support/fixtures';

test('the server is ready', async ({ request }) => {
  const response = await request.get('/readyz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ready', database: 'ok' });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the home page is rendered on the server', async ({ page, visit }) => {
    await visit('/', 'home-without-javascript');
    await expect(page.getByRole('heading', { level: 1, name: 'Bem-vindo ao Atrium' })).toBeVisible();
    await expect(page.getByRole('link', { name: /Matrículas/ }).first()).toBeVisible();
    await expect(page.getByTestId('status-result')).toHaveText('Ainda não verificado.');
    await expect(page).toHaveTitle('Bem-vindo ao Atrium · Atrium');
  });
});

test('checking the system status works once the page has hydrated', async ({ page, visit, saveScreenshot }) => {
  await visit('/', 'home');
  await hydrated(page);
  await page.getByTestId('check-status').click();
  const result = page.getByTestId('status-result');
  await expect(result).toContainText('Conectado');
  await expect(result).toContainText('PostgreSQL 15');
  // The demo seed of a fresh database: two institutions.
  await expect(result).toContainText('Instituições: 2');
  await saveScreenshot('home-status-checked');
});

test('every module has a page, reached through the navigation', async ({ page, visit, saveScreenshot }) => {
  await visit('/', 'navigation-start');
  await hydrated(page);
  const nav = page.getByRole('navigation', { name: 'Módulos' });
  for (const [link, content, shot] of [
    ['Matrículas', 'Nenhum período de matrícula ainda', 'enrollment'],
    ['CRM', 'Nenhum lead nesta etapa', 'crm'],
    ['Financeiro', 'Nenhum lançamento ainda', 'finance'],
    ['Componentes', 'Selos', 'design-system'],
    ['Idioma e formatos', 'R$ 1.234,56', 'formats'],
  ] as const) {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: link })).toBeVisible();
    await expect(page.getByText(content).first()).toBeVisible();
    await expect(nav.getByRole('link', { name: link, exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(page).toHaveTitle(`${link} · Atrium`);
    await saveScreenshot(shot);
  }
});

test('the design-system page reacts to clicks after hydration', async ({ page, visit }) => {
  await visit('/design', 'design-system-direct');
  await hydrated(page);
  await page.getByTestId('gallery-primary').click();
  await page.getByTestId('gallery-primary').click();
  await expect(page.getByTestId('gallery-clicks')).toHaveText('Cliques no botão primário: 2');
});

test('the navigation is usable by keyboard', async ({ page, visit }) => {
  await visit('/', 'keyboard-start');
  await hydrated(page);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Pular para o conteúdo' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Início' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Matrículas' })).toBeVisible();
});

test('an unknown address shows a friendly 404', async ({ page, visit }) => {
  const response = await page.goto('/nao-existe');
  expect(response?.status()).toBe(404);
  await visit('/nao-existe', 'not-found');
  await expect(page.getByRole('heading', { name: 'Página não encontrada' })).toBeVisible();
  await expect(page).toHaveTitle('Página não encontrada · Atrium');
});

/** How far the page scrolls sideways; wide content (a Kanban board) must scroll inside its own box instead. */
async function sidewaysOverflow(page: import('@playwright/test').Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

test('a wide board scrolls inside itself, not the whole page', async ({ page, visit }) => {
  await visit('/crm', 'crm-board');
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the home page fits the screen', async ({ page, visit }) => {
    await visit('/', 'home-phone');
    await hydrated(page);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await visit('/crm', 'crm-phone');
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  });
});
