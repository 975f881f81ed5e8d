/**
 * Pieces several contract files use: the colour, the recolouring summary staff endpoints answer with, and the
 * list of a request schema's keys (what the server's expectObject accepts, so an unknown field is refused with
 * the same `request/unknown-field` problem as before).
 */
import * as v from 'valibot';
import { COLOURS, type Colour } from '../claims.js';

export const ColourSchema = v.picklist(COLOURS);

/** A stored colour (a text column) as the wire's Colour; anything else is a bug, not an answer: RangeError. */
export function toColour(x: string): Colour {
	if (!(COLOURS as readonly string[]).includes(x)) throw new RangeError(`not a colour: ${x}`);
	return x as Colour;
}

/** What a recolouring run reports (POST risk-areas, PUT rules, imports, pushes); extra counters pass through. */
export const RecolouredSchema = v.looseObject({
	evaluated: v.number(),
	changed: v.number(),
	transitions: v.record(v.string(), v.number())
});
export type Recoloured = v.InferOutput<typeof RecolouredSchema>;

/** A 204 / 304 answer: no body. */
export const NoContentSchema = v.null();

export type ObjectSchemaAny = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;

/** The keys a request object schema allows, in declaration order. */
export function requestKeys<S extends ObjectSchemaAny>(schema: S): (keyof S['entries'] & string)[] {
	return Object.keys(schema.entries);
}
