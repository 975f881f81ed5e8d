/**
 * The demo register: a few synthetic people (valid GB 11643 check digits, fictitious) to sign in with until the
 * demo city (`tongxing seed`, data-sources issue) replaces it. Printed at start in demo mode.
 */
export interface DemoIdentity {
	name: string;
	idNumber: string;
	region: string;
	phone: string | null;
	/**
	 * The household-register household (public-security data): 王芳 lives with her mother and son, so she can add
	 * them as members by the register (issuer/member-links.ts); the others live alone.
	 */
	household: string;
}

export const DEMO_IDENTITIES: readonly DemoIdentity[] = [
	{ name: '张伟', idNumber: '440305199003071236', region: '440305', phone: '13800138000', household: '440305-H0001' },
	{ name: '李娜', idNumber: '440304198511124567', region: '440304', phone: '13900139000', household: '440304-H0001' },
	{ name: '王芳', idNumber: '440306197805207892', region: '440306', phone: '13700137000', household: '440306-H0002' },
	{ name: '王秀英', idNumber: '440306195002142344', region: '440306', phone: null, household: '440306-H0002' },
	{ name: '王小明', idNumber: '440305201806015676', region: '440305', phone: null, household: '440306-H0002' }
];
