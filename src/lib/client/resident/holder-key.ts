/** The device key a stored credential is bound to (claim tx/5, base64url), read without verifying anything. */
import { fromBase64Url } from '$lib/core/bytes';
import { cborDecode } from '$lib/core/cbor';
import { decodeClaims } from '$lib/core/claims';
import { codeText, parseCodeText } from '$lib/core/code-text';

export function holderKeyOf(credential: string): string | undefined {
	const bytes = fromBase64Url(credential);
	if (!bytes) return undefined;
	const parsed = parseCodeText(codeText(bytes));
	if (!('cose' in parsed)) return undefined;
	return decodeClaims(cborDecode(parsed.cose.payload))?.holderKey;
}
