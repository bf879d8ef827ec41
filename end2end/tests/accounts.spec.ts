import { test, expect, hydrated, signIn, DEMO_PASSWORD } from '../support/fixtures';

test('a new organization signs up and lands in its empty, guided workspace', async ({ page, visit, saveScreenshot }) => {
  await visit('/cadastro', 'sign-up');
  await hydrated(page);
  await page.getByTestId('organization').fill('Colégio Horizonte Azul');
  // The address follows the name until edited.
  await expect(page.getByTestId('slug')).toHaveValue('colegio-horizonte-azul');
  // No plan to choose: every organization starts on the starter plan.
  await expect(page.getByTestId('starting-plan')).toContainText('Essencial');
  await page.getByTestId('name').fill('Helena Prado');
  await page.getByTestId('email').fill('helena@horizonte.example');
  await page.getByTestId('password').fill('curta');
  await page.getByTestId('submit-sign-up').click();
  // Bad input: the message sits next to its field, with focus on it; what was typed stays, the password excepted
  // (the page is plain HTML: the post came back with the error), and nothing was created.
  await expect(page.locator('#field-password-error')).toContainText('10');
  await expect(page.getByTestId('password')).toBeFocused();
  await expect(page.getByTestId('organization')).toHaveValue('Colégio Horizonte Azul');
  await expect(page.getByTestId('slug')).toHaveValue('colegio-horizonte-azul');
  await expect(page.getByTestId('email')).toHaveValue('helena@horizonte.example');
  await expect(page.getByTestId('password')).toHaveValue('');
  await saveScreenshot('sign-up-field-error');
  await page.getByTestId('slug').fill('famath');
  await page.getByTestId('password').fill('horizonte azul 2026');
  await page.getByTestId('submit-sign-up').click();
  await expect(page.locator('#field-slug-error')).toContainText('já está em uso');
  // An edited address no longer follows the name.
  await page.getByTestId('organization').fill('Colégio Horizonte Azul Ltda');
  await expect(page.getByTestId('slug')).toHaveValue('famath');
  await page.getByTestId('slug').fill('horizonte');
  await page.getByTestId('password').fill('horizonte azul 2026');
  await page.getByTestId('submit-sign-up').click();

  await page.waitForURL('**/horizonte/painel');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Olá, Helena' })).toBeVisible();
  await expect(page.getByTestId('tenant-name')).toHaveText('Colégio Horizonte Azul Ltda');
  await expect(page.getByTestId('plan')).toHaveText('Essencial');
  await expect(page.getByTestId('people-count')).toHaveText('1');
  await expect(page.getByTestId('first-steps').getByRole('listitem')).toHaveCount(4);
  await saveScreenshot('new-organization-home');
});

for (const [email, home, heading, shot] of [
  ['dona@famath.example', '/famath/painel', 'Olá, Ana', 'home-owner'],
  ['secretaria@famath.example', '/famath/painel', 'Olá, Carlos', 'home-staff'],
  ['consultora@famath.example', '/famath/crm', 'Quadro de leads', 'home-consultant'],
  ['joao@famath.example', '/famath/portal', 'Olá, João', 'home-student'],
] as const) {
  test(`${email} signs in and lands on their role's home`, async ({ page, saveScreenshot }) => {
    await signIn(page, 'famath', email);
    expect(new URL(page.url()).pathname).toBe(home);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(page.getByTestId('viewer')).toContainText(email);
    await saveScreenshot(shot);
  });
}

test('each role sees only its own navigation', async ({ page }) => {
  const nav = () => page.getByRole('navigation', { name: 'Navegação principal' }).getByRole('list');
  await signIn(page, 'famath', 'secretaria@famath.example');
  await expect(nav().getByRole('link')).toHaveText(['Início', 'Matrículas', 'CRM', 'Configurações']);
  await page.getByTestId('sign-out').click();
  await page.waitForURL('**/famath/entrar');

  await signIn(page, 'credvale', 'financeiro@credvale.example');
  // CredVale has no enrollment module.
  await expect(nav().getByRole('link')).toHaveText(['Início', 'CRM', 'Financeiro', 'Configurações']);
  await page.getByTestId('sign-out').click();
  await page.waitForURL('**/credvale/entrar');

  await signIn(page, 'famath', 'dona@famath.example');
  await expect(nav().getByRole('link')).toHaveText([
    'Início', 'Matrículas', 'CRM', 'Financeiro', 'Portal do estudante', 'Configurações',
  ]);
});

test('a student opening a staff page is refused', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'joao@famath.example');
  for (const path of ['/famath/financeiro', '/famath/painel', '/famath/configuracoes/usuarios']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByTestId('forbidden')).toContainText('Acesso negado');
  }
  await saveScreenshot('student-refused');
  await expect(page.getByTestId('nav-financeiro')).toHaveCount(0);
});

test('a wrong password shows an error and keeps the person out', async ({ page, saveScreenshot }) => {
  await page.goto('/credvale/entrar');
  await hydrated(page);
  // A person no other test signs in as: failed attempts count towards their sign-in limit.
  await page.getByTestId('email').fill('consultor@credvale.example');
  await page.getByTestId('password').fill('não é esta');
  await page.getByTestId('sign-in').click();
  await expect(page.getByTestId('form-error')).toHaveText(/E-mail ou senha incorretos\./);
  await expect(page.getByTestId('password')).toHaveValue('');
  await saveScreenshot('sign-in-wrong-password');
  expect(new URL(page.url()).pathname).toBe('/credvale/entrar');
});

test('switching the language changes the text and is remembered', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'secretaria@famath.example');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Olá, Carlos');
  await page.getByTestId('locale-en').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Carlos');
  await expect(page.getByTestId('nav-configuracoes')).toHaveText('Settings');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await saveScreenshot('home-staff-english');
  // Remembered: a fresh load renders English on the server already.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Carlos');
  await page.getByTestId('locale-pt-BR').click();
  await expect(page.getByTestId('nav-configuracoes')).toHaveText('Configurações');
});

test("a person of one tenant never sees another tenant's data", async ({ page }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/configuracoes/usuarios');
  await hydrated(page);
  const emails = await page.getByTestId('user-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-email')));
  expect(emails).toContain('dona@famath.example');
  expect(emails.filter((email) => !email?.endsWith('@famath.example'))).toEqual([]);
  // Famath's session is nobody at CredVale: its pages ask for CredVale's own sign-in.
  await page.goto('/credvale/painel');
  await page.waitForURL('**/credvale/entrar?proximo=/credvale/painel');
  await expect(page.getByTestId('sign-in-tenant')).toHaveText('CredVale Financiamentos');
});

test('the owner invites a person, who sets a password from the link', async ({ page, server, saveScreenshot }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/configuracoes/usuarios');
  await hydrated(page);
  await page.getByTestId('invite-open').click();
  await page.getByTestId('invite-name').fill('Rita Gomes');
  await page.getByTestId('invite-email').fill('rita@famath.example');
  await page.getByTestId('invite-role').selectOption('consultant');
  await saveScreenshot('users-invite');
  await page.getByTestId('invite-send').click();
  await expect(page.getByTestId('toast').first()).toContainText('Convite enviado');
  const rita = page.locator('[data-testid="user-row"][data-email="rita@famath.example"]');
  await expect(rita).toContainText('Convite pendente');
  await saveScreenshot('users');

  // The development mailer logs the message; follow its link as Rita would.
  const link = await server.lastLink('rita@famath.example');
  await page.getByTestId('sign-out').click();
  await page.waitForURL('**/famath/entrar');
  await page.goto(link);
  await hydrated(page);
  await expect(page.getByTestId('set-password-heading')).toHaveText('Boas-vindas, Rita! Crie sua senha');
  await page.getByTestId('new-password').fill('rita escolheu esta');
  await page.getByTestId('save-password').click();
  await page.waitForURL('**/famath/crm');
  await expect(page.getByTestId('viewer')).toContainText('rita@famath.example');
});

test('the audit log shows who changed what', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'dona@famath.example');
  await page.goto('/famath/configuracoes/auditoria');
  await hydrated(page);
  await expect(page.getByTestId('audit-table')).toContainText('Entrou');
  await expect(page.getByTestId('audit-table')).toContainText('Convidou uma pessoa');
  await saveScreenshot('audit-log');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });

  test('the backoffice and the portal fit the screen', async ({ page, saveScreenshot }) => {
    await signIn(page, 'famath', 'secretaria@famath.example');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await saveScreenshot('home-staff-phone');
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/famath/entrar');
    await signIn(page, 'famath', 'joao@famath.example', DEMO_PASSWORD);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await saveScreenshot('home-student-phone');
  });
});
