import { describe, expect, it } from 'vitest';
import { serverClock } from './demo-clock';
import { StartupError } from './startup-error';

describe('serverClock', () => {
	it('is the wall clock unless the demo asks for an offset', () => {
		const before = Date.now();
		expect(serverClock({}, true)()).toBeGreaterThanOrEqual(before);
		expect(serverClock({}, false)()).toBeLessThan(before + 60_000);
	});
	it('moves by the demo offset', () => {
		const t = serverClock({ TONGXING_DEMO_CLOCK_OFFSET_MS: '10800000' }, true)();
		expect(t - Date.now()).toBeGreaterThan(10_800_000 - 60_000);
		expect(t - Date.now()).toBeLessThanOrEqual(10_800_000);
		expect(serverClock({ TONGXING_DEMO_CLOCK_OFFSET_MS: '-60000' }, true)()).toBeLessThan(Date.now() - 59_000);
	});
	it('refuses an offset in production and a malformed or huge one', () => {
		expect(() => serverClock({ TONGXING_DEMO_CLOCK_OFFSET_MS: '1000' }, false)).toThrow(StartupError);
		expect(() => serverClock({ TONGXING_DEMO_CLOCK_OFFSET_MS: '3h' }, true)).toThrow(/whole milliseconds/);
		expect(() => serverClock({ TONGXING_DEMO_CLOCK_OFFSET_MS: String(31 * 86_400_000) }, true)).toThrow(/±30 days/);
	});
});
