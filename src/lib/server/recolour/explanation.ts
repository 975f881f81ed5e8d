/**
 * Why a resident has their colour and how they get back to green, as stored in resident_colours.explain_json
 * and served beside the codes (GET /api/v1/me/codes; the signed code stays minimal). Stored: the evaluator's
 * path to green and one event per reason with the place's id; served: the same with the place's name (a risk
 * area, a venue — never another person's identity). Only what the person's own decision used.
 */
import type { Explanation } from '../../core/contract/resident.js';
import type { Evaluation, PathStep } from '../../core/rules/evaluate.js';
import type { Db } from '../store/db.js';
import { explanationsOf } from '../store/resident-colours.js';
import { riskAreaNames } from '../store/risk-areas.js';
import { venueNames } from '../store/venues.js';
import { sourceRegionsOf } from '../../core/federation/fact.js';
import { regionName } from '../../core/declaration/regions.js';
import { namePoint, type ServedPlace } from './name-point.js';

const named = (kind: 'risk-area' | 'venue', name: string | undefined): ServedPlace | undefined => (name ? { kind, name } : undefined);

const namedRegion = (code: string): { code: string; name?: string } => {
	const name = regionName(code);
	return name ? { code, name } : { code };
};

interface StoredEvent {
	reason: string;
	at: number;
	/** a point is `lat,lon,accuracyM` (the person's own, ~100 m): served as the venue near it or its district */
	place?: { kind: 'risk-area' | 'venue' | 'point'; id: string };
	endsAt?: number | null;
	/** the other regions whose facts the reason rests on (federation: received facts keep their region in their id) */
	from?: string[];
}

interface StoredExplanation {
	ruleVersion: string;
	path: PathStep[];
	events: StoredEvent[];
}

/**
 * The JSON stored for an evaluation; null when green (nothing to explain). Deterministic: the same evaluation
 * gives the same text, so comparing texts tells whether the explanation moved (recolour.ts).
 */
export function explanationJson(ev: Evaluation): string | null {
	if (ev.colour === 'green') return null;
	const stored: StoredExplanation = {
		ruleVersion: ev.ruleVersion,
		path: ev.pathToGreen,
		events: ev.events.map((e) => {
			const from = sourceRegionsOf(e.facts);
			const event: StoredEvent = e.place
				? { reason: e.reason, at: e.at, place: { ...e.place }, endsAt: e.endsAt }
				: { reason: e.reason, at: e.at, endsAt: e.endsAt };
			return from.length ? { ...event, from } : event;
		})
	};
	return JSON.stringify(stored);
}

/** The served explanations of these people (by person id), with place names: three small statements at most. */
export async function explanationsFor(
	db: Db,
	people: readonly { id: string; id_hmac: string }[]
): Promise<Map<string, Explanation | null>> {
	const out = new Map<string, Explanation | null>();
	if (!people.length) return out;
	const texts = await explanationsOf(
		db,
		people.map((p) => p.id_hmac)
	);
	const served = await serveExplanations(
		db,
		people.map((p) => texts.get(p.id_hmac) ?? null)
	);
	people.forEach((p, i) => out.set(p.id, served[i]!));
	return out;
}

/**
 * Stored explanations (explanationJson's text, or null) as served: the same order, each place id replaced by its
 * name (a risk area, a venue), looked up once for all of them. What the codes and the history (colour_events'
 * explain_json, migration 029) both serve.
 */
export async function serveExplanations(db: Db, texts: readonly (string | null)[]): Promise<(Explanation | null)[]> {
	const parsed = texts.map((t) => (t ? (JSON.parse(t) as StoredExplanation) : null));
	const events = parsed.flatMap((x) => x?.events ?? []);
	const ids = (kind: string) => [...new Set(events.filter((e) => e.place?.kind === kind).map((e) => e.place!.id))];
	const [areas, venues] = await Promise.all([riskAreaNames(db, ids('risk-area')), venueNames(db, ids('venue'))]);
	const points = new Map<string, ServedPlace | undefined>();
	for (const id of ids('point')) points.set(id, await namePoint(db, id));
	return parsed.map((x) =>
		x
			? {
					ruleVersion: x.ruleVersion,
					path: x.path,
					details: x.events.map((e) => {
						const place: ServedPlace | undefined =
							e.place?.kind === 'point'
								? points.get(e.place.id)
								: e.place && named(e.place.kind, (e.place.kind === 'risk-area' ? areas : venues).get(e.place.id));
						const endsAt = e.endsAt === undefined ? {} : { endsAt: e.endsAt };
						const sources = e.from?.length ? { sourceRegions: e.from.map(namedRegion) } : {};
						return place
							? { reason: e.reason, at: e.at, place, ...endsAt, ...sources }
							: { reason: e.reason, at: e.at, ...endsAt, ...sources };
					})
				}
			: null
	);
}
