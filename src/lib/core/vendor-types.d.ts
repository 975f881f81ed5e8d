// @digitalbazaar/base45 ships no type declarations.
declare module '@digitalbazaar/base45' {
	export function encode(input: Uint8Array): string;
	export function decode(input: string): Uint8Array;
}
