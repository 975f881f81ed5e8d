/**
 * A person's facts as the storage layer reads them (server/store/recolour-facts.ts), with the trajectory possibly
 * still packed as SQLite returned it (json_group_array: one JSON array of [row id, at ms, lat, lon, accuracy, cell]
 * per phone). Pure code with no database imports, because server/recolour/evaluate-worker.ts unpacks them in a
 * worker thread.
 */
import type { PersonFacts, TrajectoryPoint } from './facts.js';

export interface PackedFacts {
	/** everything but the packed points (trajectory holds the points that came unpacked, e.g. from PostgreSQL) */
	readonly facts: PersonFacts;
	readonly packed: readonly string[];
}

const sec = (ms: number) => Math.floor(ms / 1000);
const pointRow = (id: string) => Number(id.slice(6)); // `point:<row id>`

/** A stored point as the rules read it; the serving cell's id only when there is one (facts.ts). */
export function point(id: number, atMs: number, lat: number, lon: number, accuracyM: number | null, cell: string | null): TrajectoryPoint {
	// two literal shapes (no spread): ~125 of these per resident loaded
	return cell === null
		? { id: `point:${id}`, at: sec(atMs), lat, lon, accuracyM: accuracyM ?? 0 }
		: { id: `point:${id}`, at: sec(atMs), lat, lon, accuracyM: accuracyM ?? 0, cell };
}

/** The PersonFacts: packed points unpacked; points by time, then row id, and visits by time — the same order whatever plan or engine returned them in. */
export function unpackFacts(p: PackedFacts): PersonFacts {
	const trajectory = [...p.facts.trajectory];
	for (const json of p.packed) {
		for (const [id, at, lat, lon, acc, cell] of JSON.parse(json) as [number, number, number, number, number | null, string | null][]) {
			trajectory.push(point(id, at, lat, lon, acc, cell));
		}
	}
	trajectory.sort((a, b) => a.at - b.at || pointRow(a.id) - pointRow(b.id));
	const visits = [...p.facts.visits].sort((a, b) => a.at - b.at);
	return { ...p.facts, trajectory, visits };
}
