/** The codes the benchmarks measure: the test vectors' live phone code and paper code, plus their lists. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestVector } from '../scripts/vectors/build-vectors.js';

const dir = join(import.meta.dirname, '..', 'test-vectors');
export const vector = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as TestVector;

/** An EU DCC-sized reference string (~585 characters of base45, as `HC1:` certificates are). */
export const EU_DCC_REFERENCE =
	'HC1:' + 'NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IDOEZ1RF:T6+LIOK$:1P99M%GPL2MD84UQ:IF'.repeat(8).slice(0, 581);
