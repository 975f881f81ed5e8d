/**
 * The body of an upload of one signed document (application/cose): bytes, at most `limitBytes`. The signature is
 * the service's to check; this only refuses the wrong content type and oversize bodies with their codes.
 */
import { DomainError } from '../domain-error.js';

export async function readCoseBody(request: Request, limitBytes: number): Promise<Uint8Array> {
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
	if (type !== 'application/cose')
		throw new DomainError('request/content-type', { detail: 'send the signed document as application/cose' });
	const declared = Number(request.headers.get('content-length') ?? 0);
	if (declared > limitBytes) throw new DomainError('request/too-large', { detail: `at most ${limitBytes} bytes` });
	const bytes = new Uint8Array(await request.arrayBuffer());
	if (bytes.length > limitBytes) throw new DomainError('request/too-large', { detail: `at most ${limitBytes} bytes` });
	if (bytes.length === 0) throw new DomainError('gateway/bad-document', { detail: 'empty body' });
	return bytes;
}
