import { describe, expect, it } from 'vitest';
import { clientTooOld, CONTRACT_VERSION, MIN_CLIENT_CONTRACT_VERSION } from './client-version';

describe('client contract version', () => {
	it('this build accepts its own apps', () => {
		expect(CONTRACT_VERSION).toBeGreaterThanOrEqual(MIN_CLIENT_CONTRACT_VERSION);
		expect(clientTooOld(String(CONTRACT_VERSION), MIN_CLIENT_CONTRACT_VERSION)).toBe(false);
	});
	it('refuses versions below the minimum and values that are not versions; a missing header is not an app', () => {
		expect(clientTooOld('1', 2)).toBe(true);
		expect(clientTooOld('2', 2)).toBe(false);
		expect(clientTooOld(' 3 ', 2)).toBe(false);
		expect(clientTooOld('v2', 2)).toBe(true);
		expect(clientTooOld('', 2)).toBe(true);
		expect(clientTooOld(null, 2)).toBe(false);
	});
});
