/**
 * Reads standard input up to a byte limit and stops there, whatever follows: `tongxing verify -` must answer a
 * code of bounded length (MAX_CODE_TEXT_LENGTH) without first swallowing an endless or huge stream into memory.
 * Returns the text read and whether input went on past the limit (then the caller has a prefix only).
 */
import { readSync } from 'node:fs';

export function readStdinUpTo(limitBytes: number, fd = 0): { text: string; truncated: boolean } {
	const buf = Buffer.alloc(limitBytes + 1); // one byte more tells "longer than the limit" from "exactly the limit"
	let filled = 0;
	while (filled < buf.length) {
		let n: number;
		try {
			n = readSync(fd, buf, filled, buf.length - filled, null);
		} catch (e) {
			// a non-blocking pipe with nothing yet: wait a moment (no busy loop) and read again
			if ((e as { code?: string }).code === 'EAGAIN') {
				Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
				continue;
			}
			if ((e as { code?: string }).code === 'EOF') break;
			throw e;
		}
		if (n === 0) break;
		filled += n;
	}
	return { text: buf.subarray(0, Math.min(filled, limitBytes)).toString('utf8'), truncated: filled > limitBytes };
}
