import { describe, expect, it } from 'vitest';
import { FACT_REJECTIONS } from '$lib/core/federation/fact';
import { consoleFederation } from './console-federation';

describe('console federation strings', () => {
	it('word every reason a fact can be refused for, in both languages (the page never shows the bare code)', () => {
		for (const lang of ['zh-CN', 'en'] as const) {
			const keys = Object.keys(consoleFederation[lang]);
			for (const code of FACT_REJECTIONS) expect(keys, `${lang}: ${code}`).toContain(`reject.${code}`);
		}
	});
});
