/**
 * Travel in the last 14 days: journeys with a region at any level and dates in China, inside the window that ends
 * today. Issue messages are DeclarationErrorCodes.
 */
import * as v from 'valibot';
import { hasIssueAt, isPlainObject, missingKeyMessage, typeMessage, unknownField } from './field-issues.js';
import { regionSchema } from './name-phone-address.js';
import { chinaDate, isCalendarDate } from './resident-id.js';

export const TRAVEL_WINDOW_DAYS = 14;
export const MAX_TRAVEL_ENTRIES = 20;

export interface TravelEntry {
	/** GB/T 2260 code at any level (a resident may only know the city). */
	region: string;
	/** YYYY-MM-DD, China time. */
	from: string;
	to: string;
}

/** The travel list of a declaration validated at `now` (Unix ms). */
export function travelSchema(now: number) {
	const today = chinaDate(now);
	const windowStart = chinaDate(now, -TRAVEL_WINDOW_DAYS);

	const date = v.pipe(
		v.string(typeMessage('date')),
		v.check(isCalendarDate, 'date/format'),
		v.check((d) => d >= windowStart, 'travel/too-early'),
		v.check((d) => d <= today, 'travel/future')
	);

	const travelEntry = v.pipe(
		v.custom<Record<string, unknown>>(isPlainObject, 'travel/item-type'),
		v.objectWithRest(
			{ region: regionSchema(false), from: date, to: date },
			unknownField,
			missingKeyMessage({ region: 'region', from: 'date', to: 'date' })
		),
		v.rawCheck(({ dataset, addIssue }) => {
			if (hasIssueAt(dataset.issues, 'from') || hasIssueAt(dataset.issues, 'to')) return;
			const entry = dataset.value as Record<string, unknown>;
			const { from, to } = entry;
			if (typeof from === 'string' && typeof to === 'string' && from > to) {
				addIssue({ message: 'travel/order', path: [{ type: 'object', origin: 'value', input: entry, key: 'to', value: to }] });
			}
		}),
		v.transform((e): TravelEntry => ({ region: e.region, from: e.from, to: e.to }))
	);

	return v.pipe(
		v.custom<unknown[]>(Array.isArray, typeMessage('travel')),
		// before the entries are looked at, so that a huge list costs nothing
		v.check((a) => a.length <= MAX_TRAVEL_ENTRIES, 'travel/too-many'),
		v.array(travelEntry)
	);
}
