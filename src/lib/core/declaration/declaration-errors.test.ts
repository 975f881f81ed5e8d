import { describe, expect, it } from 'vitest';
import { idErrorText } from './declaration-errors.js';

describe('idErrorText', () => {
	it('says which part of an ID number failed, differently for each part, in both languages', () => {
		const codes = ['id/length', 'id/characters', 'id/region', 'id/birth-date', 'id/checksum', 'id/format'] as const;
		const texts = codes.map((c) => idErrorText(c));
		expect(new Set(texts.map((t) => t.en)).size).toBe(codes.length);
		expect(new Set(texts.map((t) => t['zh-CN'])).size).toBe(codes.length);
		expect(idErrorText('id/checksum').en).toMatch(/check digit/);
		expect(idErrorText('id/region').en).toMatch(/region/);
		expect(idErrorText('id/birth-date').en).toMatch(/date of birth/);
		expect(idErrorText('id/length').en).toMatch(/18 characters/);
	});
});
