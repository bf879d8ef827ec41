import { test, expect, hydrated, DEMO_PASSWORD } from '../support/fixtures';

test('the server is ready', async ({ request }) => {
  const response = await request.get('/readyz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ready', database: 'ok' });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the landing page is rendered on the server', async ({ page, visit }) => {
    await visit('/', 'landing-without-javascript');
    await expect(page.getByRole('heading', { level: 1, name: 'Matrículas, CRM e finanças em um só lugar' })).toBeVisible();
    await expect(page.getByTestId('create-organization')).toHaveAttribute('href', '/cadastro');
    await expect(page).toHaveTitle('Atrium');
  });

  test('a tenant page asks an anonymous visitor to sign in first, and signing in leads back to it', async ({ page, saveScreenshot }) => {
    const response = await page.goto('/famath/financeiro');
    expect(page.url()).toMatch(/\/famath\/entrar\?proximo=\/famath\/financeiro$/);
    expect(response?.status()).toBe(200);
    await expect(page.getByTestId('sign-in-tenant')).toHaveText('Faculdade Famath');
    // The form posts as a plain form: a refusal comes back as the page with the error…
    await page.getByTestId('email').fill('dona@famath.example');
    await page.getByTestId('password').fill('não é esta');
    await page.getByTestId('sign-in').click();
    await expect(page.getByTestId('form-error')).toHaveText(/E-mail ou senha incorretos\./);
    await expect(page.getByTestId('password')).toHaveValue('');
    await saveScreenshot('sign-in-error-without-javascript');
    // …and the right password leads to the page that was asked for.
    await page.getByTestId('email').fill('dona@famath.example');
    await page.getByTestId('password').fill(DEMO_PASSWORD);
    await page.getByTestId('sign-in').click();
    await page.waitForURL('**/famath/financeiro');
    await expect(page.getByTestId('viewer')).toContainText('dona@famath.example');
  });

  test('the landing page\'s address form leads to the sign-in', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('tenant-address').fill('Não é endereço');
    await page.getByTestId('go-sign-in').click();
    await expect(page.locator('#field-tenant-error')).toBeVisible();
    await expect(page.getByTestId('tenant-address')).toHaveValue('Não é endereço');
    await page.getByTestId('tenant-address').fill('famath');
    await page.getByTestId('go-sign-in').click();
    await page.waitForURL('**/famath/entrar');
    await expect(page.getByTestId('sign-in-tenant')).toHaveText('Faculdade Famath');
  });
});

test('the landing page leads to an organization\'s sign-in', async ({ page, visit }) => {
  await visit('/', 'landing');
  await hydrated(page);
  await page.getByTestId('tenant-address').fill('Não é endereço');
  await page.getByTestId('go-sign-in').click();
  await expect(page.locator('#field-tenant-error')).toBeVisible();
  await page.getByTestId('tenant-address').fill('famath');
  await page.getByTestId('go-sign-in').click();
  await page.waitForURL('**/famath/entrar');
  await expect(page.getByTestId('sign-in-tenant')).toHaveText('Faculdade Famath');
});

test('the design-system page shows every component and they work', async ({ page, visit, saveScreenshot }) => {
  await visit('/design', 'design-system');
  await hydrated(page);
  await page.getByTestId('gallery-primary').click();
  await page.getByTestId('gallery-primary').click();
  await expect(page.getByTestId('gallery-clicks')).toHaveText('Cliques no botão primário: 2');
  // A modal takes focus, and Escape closes it and gives focus back.
  await page.getByTestId('modal-open').click();
  await expect(page.getByTestId('modal')).toBeVisible();
  await saveScreenshot('design-system-modal');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('modal')).toHaveCount(0);
  await expect(page.getByTestId('modal-open')).toBeFocused();
});

test('unknown addresses show friendly 404s', async ({ page, visit }) => {
  const response = await page.goto('/nao-existe/mesmo/assim');
  expect(response?.status()).toBe(404);
  await visit('/nao-existe/mesmo/assim', 'not-found');
  await expect(page.getByRole('heading', { name: 'Página não encontrada' })).toBeVisible();
  await expect(page).toHaveTitle('Página não encontrada · Atrium');

  const tenant = await page.goto('/nao-existe/entrar');
  expect(tenant?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Instituição não encontrada' })).toBeVisible();
});

/** How far the page scrolls sideways; wide content must scroll inside its own box instead. */
async function sidewaysOverflow(page: import('@playwright/test').Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });

  test('public pages fit the screen', async ({ page, visit }) => {
    for (const [path, shot] of [
      ['/', 'landing-phone'],
      ['/cadastro', 'sign-up-phone'],
      ['/famath/entrar', 'sign-in-phone'],
      ['/design', 'design-system-phone'],
    ] as const) {
      await visit(path, shot);
      await hydrated(page);
      expect(await sidewaysOverflow(page), path).toBeLessThanOrEqual(0);
    }
  });
});
