import { defineConfig } from '@playwright/test';

// Debian's Chromium (apt-get install chromium). Playwright must never download a browser.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const args = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];

// E2E_PORT lets two checkouts run their suites side by side.
const PORT = Number(process.env.E2E_PORT ?? 4319);
const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
	testDir: 'e2e',
	timeout: 60_000,
	workers: 1,
	fullyParallel: false,
	forbidOnly: !!process.env.CI,
	reporter: [['list']],
	use: {
		baseURL,
		launchOptions: { executablePath, args },
		trace: 'retain-on-failure'
	},
	webServer: {
		// Serves the production build: run `npm run build` first (npm test does).
		command: 'node build',
		// test-results/ is emptied before the server starts, so each run gets a fresh DATA_DIR.
		// one phone signs in many times across the specs: a 1 s cool-down instead of the minute (README, auth/otp-config.ts)
		env: { HOST: '127.0.0.1', PORT: String(PORT), DATA_DIR: 'test-results/e2e-data', TONGXING_OTP_COOLDOWN_SECONDS: '1' },
		url: `${baseURL}/api/v1/health`,
		reuseExistingServer: !process.env.CI,
		timeout: 30_000
	}
});
