/** Strings of the resident app (/app). zh-CN is the reference; en has the same keys (i18n.test.ts). */
export const resident = {
	'zh-CN': {
		title: '我的健康码'
	},
	en: {
		title: 'My health code'
	}
} as const;
