/**
 * Masking for what a credential may carry about a person (GB/T 35273 "de-identification" practice, as
 * health codes display names): enough for a guard to compare with the person and their ID card, no more.
 */

/** 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜, Li Wei → L****i. */
export function maskName(name: string): string {
	const chars = [...name.trim().replace(/\s+/g, ' ')];
	if (chars.length === 0) throw new RangeError('empty name');
	if (chars.length <= 2) return chars[0] + '*';
	return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/** The last four characters of an ID number (GB 11643 resident IDs end in a digit or X). */
export function idSuffix(idNumber: string): string {
	const clean = idNumber.trim().toUpperCase();
	if (!/^[0-9A-Z]{4,}$/.test(clean)) throw new RangeError('ID number must be at least 4 letters or digits');
	return clean.slice(-4);
}
