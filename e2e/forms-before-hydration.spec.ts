/**
 * The apps' pages are prerendered: a form is on screen before its script runs. A tap (or Enter) before then must
 * not submit natively — that would be a GET putting the phone number, ID number or password in the URL and the
 * logs (CI once caught /app/signin?phone=138… this way). With JavaScript off, every form that takes personal data
 * has its submit button disabled and says method="post".
 */
import { expect, test } from '@playwright/test';

test.use({ javaScriptEnabled: false });

for (const path of ['/app/signin', '/app/declare', '/app/members', '/console/signin']) {
	test(`${path}: nothing can be submitted before the page's script runs`, async ({ page }) => {
		await page.goto(path);
		const forms = page.locator('form');
		const count = await forms.count();
		// /app/members shows its form only to a signed-in resident after the script runs; the others show it at once
		if (path !== '/app/members') expect(count).toBeGreaterThan(0);
		for (let i = 0; i < count; i++) {
			await expect(forms.nth(i)).toHaveAttribute('method', 'post');
			await expect(forms.nth(i).locator('button[type="submit"]')).toBeDisabled();
		}
		const phone = page.getByLabel('手机号码');
		if (path === '/app/signin') {
			await phone.fill('13800138000');
			await phone.press('Enter');
			await expect(page).toHaveURL(new RegExp(`${path}$`));
		}
	});
}
