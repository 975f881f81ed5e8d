/**
 * Where a region's data-exchange public key comes from (agreed with fed-trust, docs/federation.md): the region
 * certificates signed by the national root. `at`: Unix milliseconds. null = unknown region, outside the key's
 * window, or revoked — and then nothing that region signed is accepted.
 */
export interface ExchangeKeys {
	exchangeKey(region: string, at: number): Promise<Uint8Array | null>;
}

/** A fixed map (tests, benches, a two-region demo without certificates). */
export function fixedExchangeKeys(keys: ReadonlyMap<string, Uint8Array>): ExchangeKeys {
	return { exchangeKey: (region) => Promise.resolve(keys.get(region) ?? null) };
}
