import { describe, expect, it } from 'vitest';
import { DICTIONARIES, LOCALES, setLocale, t, tIn } from './i18n.svelte';
import './strings/resident';
import './strings/scanner';
import './strings/console';

describe('i18n', () => {
	for (const [ns, dict] of Object.entries(DICTIONARIES)) {
		it(`${ns}: every locale has exactly the zh-CN keys, none empty`, () => {
			const reference = Object.keys(dict['zh-CN']).sort();
			for (const lng of LOCALES) {
				const d = dict[lng] as Record<string, string>;
				expect(Object.keys(d).sort(), `${ns}/${lng}`).toEqual(reference);
				for (const [k, v] of Object.entries(d)) expect(v.trim(), `${ns}/${lng}/${k}`).not.toBe('');
			}
		});
		it(`${ns}: every locale uses the same {{placeholders}} per key`, () => {
			const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
			const zh = dict['zh-CN'] as Record<string, string>;
			for (const lng of LOCALES) {
				const d = dict[lng] as Record<string, string>;
				for (const k of Object.keys(zh)) expect(placeholders(d[k] ?? ''), `${ns}/${lng}/${k}`).toEqual(placeholders(zh[k] ?? ''));
			}
		});
	}

	it('translates in the current locale and switches', () => {
		setLocale('zh-CN');
		expect(t('update.apply')).toBe('更新');
		expect(t('resident:title')).toBe('我的健康码');
		setLocale('en');
		expect(t('update.apply')).toBe('Update');
		expect(tIn('zh-CN', 'scanner:title')).toBe('扫码核验');
		setLocale('zh-CN');
	});
});
