/** Strings of the guard scanner app (/scan). zh-CN is the reference; en has the same keys (i18n.test.ts). */
export const scanner = {
	'zh-CN': {
		title: '扫码核验'
	},
	en: {
		title: 'Scan and verify'
	}
} as const;
