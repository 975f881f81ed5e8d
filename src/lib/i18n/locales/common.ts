/**
 * Strings shared by every app (layout, update prompt, language switch; the staff reason codes, shown by the
 * console and in the resident's history). One flat dictionary per locale;
 * zh-CN is the reference: en must have exactly the same keys (checked by i18n.test.ts).
 * Interpolation is i18next's: {{name}}.
 */
export const common = {
	'zh-CN': {
		brand: '通行',
		'update.available': '有新版本可用',
		'update.apply': '更新',
		'update.applying': '正在更新…',
		'update.after-form': '新版本已就绪，提交当前表单后即可更新',
		'language.label': '语言',
		'language.zh-CN': '中文',
		'language.en': 'English',
		version: '版本',
		'nav.home': '首页',
		offline: '离线',
		online: '在线',
		'staffReason.case-confirmed': '确诊病例',
		'staffReason.risk-area-outbreak': '风险区疫情',
		'staffReason.contact-tracing': '流行病学调查',
		'staffReason.test-result': '核酸检测结果',
		'staffReason.data-correction': '数据更正',
		'staffReason.appeal-upheld': '申诉成立',
		'staffReason.rules-update': '赋码规则更新',
		'staffReason.other': '其他'
	},
	en: {
		brand: 'Tongxing',
		'update.available': 'A new version is available',
		'update.apply': 'Update',
		'update.applying': 'Updating…',
		'update.after-form': 'A new version is ready; it can be applied once you have submitted this form',
		'language.label': 'Language',
		'language.zh-CN': '中文',
		'language.en': 'English',
		version: 'Version',
		'nav.home': 'Home',
		offline: 'Offline',
		online: 'Online',
		'staffReason.case-confirmed': 'Confirmed case',
		'staffReason.risk-area-outbreak': 'Outbreak in a risk area',
		'staffReason.contact-tracing': 'Contact tracing',
		'staffReason.test-result': 'Test result',
		'staffReason.data-correction': 'Data correction',
		'staffReason.appeal-upheld': 'Appeal upheld',
		'staffReason.rules-update': 'Colour rules update',
		'staffReason.other': 'Other'
	}
} as const;
