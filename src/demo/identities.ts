/**
 * The demo register: a few synthetic people (valid GB 11643 check digits, fictitious) to sign in with until the
 * demo city (`tongxing seed`, data-sources issue) replaces it. Printed at start in demo mode.
 */
export interface DemoIdentity {
	name: string;
	idNumber: string;
	region: string;
	phone: string | null;
}

export const DEMO_IDENTITIES: readonly DemoIdentity[] = [
	{ name: '张伟', idNumber: '440305199003071236', region: '440305', phone: '13800138000' },
	{ name: '李娜', idNumber: '440304198511124567', region: '440304', phone: '13900139000' },
	{ name: '王芳', idNumber: '440306197805207892', region: '440306', phone: '13700137000' },
	{ name: '王秀英', idNumber: '440306195002142344', region: '440306', phone: null },
	{ name: '王小明', idNumber: '440305201806015676', region: '440305', phone: null }
];
