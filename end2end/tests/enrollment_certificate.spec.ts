import { test, expect, hydrated, signIn } from '../support/fixtures';

// The comprovante de matrícula: the enrolled demo student (Helena Duarte) opens it from the portal on a phone and
// prints it (print media emulated); a verifier checks its code on the public page, with JavaScript and without.
// Staff read the enrollment dashboard on a desktop.

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the student opens and prints the comprovante; its code checks out with and without JavaScript', async ({
    page,
    browser,
    baseURL,
    saveScreenshot,
  }) => {
    await signIn(page, 'famath', 'candidato6@famath.example');
    await page.goto('/famath/portal');
    await hydrated(page);
    const card = page.getByTestId('my-applications').locator('li').filter({ hasText: 'Pedagogia' });
    await card.getByTestId('application-details').click();
    await page.waitForURL(/\/portal\/inscricao\/[0-9a-f-]{36}$/);
    await hydrated(page);
    await page.getByTestId('status-certificate').click();
    await page.waitForURL(/\/comprovante$/);
    await hydrated(page);
    const sheet = page.getByTestId('certificate');
    await expect(sheet).toContainText('Helena Duarte');
    await expect(sheet).toContainText('Pedagogia');
    await expect(page.getByTestId('certificate-institution')).toHaveText('Faculdade Famath');
    const code = (await page.getByTestId('certificate-code').innerText()).trim();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    await saveScreenshot('certificate-phone');

    // "Imprimir" opens the print dialog, once (the page ships no wasm: its small script does it).
    await page.evaluate(() => {
      const counted = window as unknown as { printed: number };
      counted.printed = 0;
      window.print = () => {
        counted.printed += 1;
      };
    });
    await page.getByTestId('certificate-print').click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

    // Printed: no navigation, no buttons, the sheet alone.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation')).toBeHidden();
    await expect(page.getByTestId('certificate-print')).toBeHidden();
    await expect(sheet).toBeVisible();
    await saveScreenshot('certificate-print');
    await page.emulateMedia({ media: 'screen' });

    // A verifier types the code sloppily into the public form (JavaScript on).
    const verifier = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } });
    const open = await verifier.newPage();
    await open.goto('/famath/verificar');
    await hydrated(open);
    await open.getByTestId('verify-code').fill(code.toLowerCase().replace('-', ' '));
    await open.getByTestId('verify-submit').click();
    await expect(open.getByTestId('verify-result')).toHaveAttribute('data-status', 'valid');
    await expect(open.getByTestId('verify-result')).toContainText('Helena Duarte');
    await open.screenshot({ path: 'end2end/test-results/screenshots/certificate-verify-js.png', fullPage: true });
    await verifier.close();

    // And without JavaScript: the same GET form, answered by the server.
    const plain = await browser.newContext({ baseURL, javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const noJs = await plain.newPage();
    await noJs.goto('/famath/verificar');
    await noJs.getByTestId('verify-code').fill(code);
    await noJs.getByTestId('verify-submit').click();
    await noJs.waitForURL(/verificar\?codigo=/);
    await expect(noJs.getByTestId('verify-result')).toContainText('Válido');
    await noJs.goto('/famath/verificar/ZZZZZ-ZZZZZ');
    await expect(noJs.getByTestId('verify-unknown')).toBeVisible();
    await noJs.goto(`/famath/verificar/${code}`);
    await expect(noJs.getByTestId('verify-result')).toContainText('Pedagogia');
    await noJs.screenshot({ path: 'end2end/test-results/screenshots/certificate-verify-nojs.png', fullPage: true });
    await plain.close();
  });
});

test.describe('on a desktop', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('staff read the enrollment dashboard', async ({ page, saveScreenshot }) => {
    await signIn(page, 'famath', 'secretaria@famath.example');
    await page.goto('/famath/matriculas');
    await hydrated(page);
    await expect(page.getByTestId('enrollment-stats')).toContainText('R$');
    await expect(page.getByTestId('funnel-chart').locator('rect').first()).toBeVisible();
    await expect(page.getByTestId('seats-chart').getByTestId('seats-row').first()).toBeVisible();
    const flags = page.getByTestId('enrollment-flags');
    await expect(flags).toContainText('Mateus Rocha');
    await expect(flags).toContainText('Contestação');
    await saveScreenshot('enrollment-dashboard');
    await flags.getByRole('link', { name: 'Mateus Rocha' }).click();
    await page.waitForURL(/\/matriculas\/inscricoes\/[0-9a-f-]{36}$/);
    await hydrated(page);
    await expect(page.getByTestId('certificate-reissue')).toBeVisible();
  });
});
