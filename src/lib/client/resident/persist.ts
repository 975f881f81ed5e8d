/** Ask the browser to keep this origin's storage under pressure (Storage API); the result is shown to the resident. */
import { patchSync, readSync } from './db';

export async function requestPersistence(): Promise<'granted' | 'refused' | 'unsupported'> {
	const previous = (await readSync()).persisted;
	if (previous === 'granted') return previous;
	let result: 'granted' | 'refused' | 'unsupported';
	if (typeof navigator === 'undefined' || !navigator.storage?.persist) result = 'unsupported';
	else {
		try {
			result = (await navigator.storage.persisted()) || (await navigator.storage.persist()) ? 'granted' : 'refused';
		} catch {
			result = 'refused';
		}
	}
	await patchSync({ persisted: result });
	return result;
}
