/**
 * What the resident pages render, read from IndexedDB: people with their codes and the sync state. `load()`
 * is cheap (a few small rows) and is called on mount and after each sync round; nothing waits for the network.
 */
import { EMPTY_SYNC, readSync, residentDb, type StoredPerson, type SyncState } from './db';

const state = $state<{ loaded: boolean; people: StoredPerson[]; sync: SyncState }>({ loaded: false, people: [], sync: EMPTY_SYNC });

export const resident = {
	get loaded() {
		return state.loaded;
	},
	get people() {
		return state.people;
	},
	get sync() {
		return state.sync;
	},
	self(): StoredPerson | undefined {
		return state.people.find((p) => p.relation === 'self');
	},
	person(personId: string | null): StoredPerson | undefined {
		return (personId ? state.people.find((p) => p.personId === personId) : undefined) ?? this.self() ?? state.people[0];
	}
};

export async function loadResident(): Promise<void> {
	const [people, sync] = await Promise.all([residentDb().people.orderBy('order').toArray(), readSync()]);
	state.people = people;
	state.sync = sync;
	state.loaded = true;
}
