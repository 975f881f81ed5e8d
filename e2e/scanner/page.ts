import { expect, type Page } from '@playwright/test';

/** Opens /scan and enrols with a `TXE1:` code; waits until the lists are on the device. */
export async function enrolPage(page: Page, base: string, code: string, query = ''): Promise<void> {
	await page.goto(`${base}/scan${query}`);
	await page.getByLabel(/登记码|Enrolment code/).fill(code);
	await page.getByRole('button', { name: /^(登记|Enrol)$/ }).click();
	await expect(page.getByTestId('trust-age')).toHaveAttribute('data-version', /\d+/);
	await expect(page.getByTestId('status-age')).toHaveAttribute('data-seq', /\d+/);
}

export interface Shown {
	outcome: string | null;
	verdict: string | null;
	reason: string | null;
	recorded: string | null;
}

/** Types a code into the keyboard-wedge field + Enter (what a hardware scanner does), returns the verdict shown. */
export async function wedgeScan(page: Page, text: string): Promise<Shown> {
	const input = page.locator('#wedge');
	await input.fill(text);
	await input.press('Enter');
	return readVerdict(page);
}

export async function readVerdict(page: Page): Promise<Shown> {
	const v = page.getByRole('alertdialog');
	await expect(v).toBeVisible({ timeout: 20_000 });
	const shown = {
		outcome: await v.getAttribute('data-outcome'),
		verdict: await v.getAttribute('data-verdict'),
		reason: await v.getAttribute('data-reason'),
		recorded: await v.getAttribute('data-recorded')
	};
	return shown;
}

/** Dismisses the verdict (unless its timer already did). */
export async function dismiss(page: Page): Promise<void> {
	await page
		.getByRole('button', { name: /继续扫码|Next scan/ })
		.click({ timeout: 1000 })
		.catch(() => undefined);
	await expect(page.getByRole('alertdialog')).toBeHidden();
}

export async function pendingCount(page: Page): Promise<number> {
	return Number(await page.getByTestId('pending').getAttribute('data-count'));
}
