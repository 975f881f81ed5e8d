import { normalisePhone as normalise } from '../../core/declaration/name-phone-address.js';

/** A mainland mobile number (11 digits, 1[3-9]…) normalised like the declaration schema does, or null. */
export function normalisePhone(input: unknown): string | null {
	if (typeof input !== 'string' || input.length > 30) return null;
	const phone = normalise(input);
	return /^1[3-9]\d{9}$/.test(phone) ? phone : null;
}

/** 13800138000 → 138****8000, for logs and screens. */
export function maskPhone(phone: string): string {
	return phone.slice(0, 3) + '****' + phone.slice(-4);
}
