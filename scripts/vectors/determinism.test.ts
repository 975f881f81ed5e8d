import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildVectors } from './build-vectors.js';

describe('test-vectors/', () => {
	it('is exactly what scripts/gen-vectors.ts makes from its fixed seeds (run `npm run gen:vectors` after a format change)', async () => {
		const dir = join(import.meta.dirname, '../../test-vectors');
		const onDisk = readdirSync(dir)
			.filter((f) => f.endsWith('.json'))
			.sort();
		const built = await buildVectors();
		expect(onDisk).toEqual([...built.keys()].map((n) => `${n}.json`).sort());
		for (const [name, v] of built) expect(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')), name).toEqual(v);
	});
});
