import { test, expect, hydrated, signIn } from '../support/fixtures';

// The enrollment backoffice as the secretary meets it on the first run: the demo catalog is there, every page
// hydrates without a browser error (the fixture fails the test on one), and a class shows its seats.
test('the secretary walks the enrollment catalog pages', async ({ page, saveScreenshot }) => {
  await signIn(page, 'famath', 'secretaria@famath.example');
  for (const [path, table, row] of [
    ['/famath/matriculas/cursos', 'courses-table', 'course-row'],
    ['/famath/matriculas/turmas', 'classes-table', 'class-row'],
    ['/famath/matriculas/periodos', 'periods-table', 'period-row'],
  ] as const) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.getByTestId(table)).toBeVisible();
    expect(await page.getByTestId(row).count()).toBeGreaterThan(0);
    await saveScreenshot(`enrollment-${path.split('/').pop()}`);
  }
  await page.goto('/famath/matriculas/turmas');
  await expect(page.getByTestId('class-seats').first()).toContainText(/\d/);
  await page.getByRole('link', { name: 'Cursos' }).first().click();
  await expect(page).toHaveURL(/\/famath\/matriculas\/cursos$/);
  await expect(page.getByTestId('courses-table')).toContainText('Direito');
});
