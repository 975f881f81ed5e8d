/**
 * POST /console/risk-areas/preview: what saving an area would do, before anything is submitted — the same parse
 * as proposeRiskArea (actions.ts), the same preview the proposal would store (recolour/preview.ts, masked), whether
 * it would need a second staff member, and where the area is. Nothing is written (the console map shows this
 * before its "submit").
 */
import type { IssuerDeps } from '../deps.js';
import { DomainError } from '../domain-error.js';
import { parseRiskArea } from '../recolour/risk-areas.js';
import { previewRiskArea } from '../recolour/preview.js';
import { placeOf } from '../map/area-place.js';
import { storedDistricts } from '../map/districts.js';
import type { AreaPreview } from '../../core/contract/console-map.js';
import { maskPreview, thresholdOf } from './proposals.js';

const REASON_KEYS = ['reasonCode', 'note', 'urgent'];

export async function previewRiskAreaAction(deps: IssuerDeps, body: unknown): Promise<AreaPreview> {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DomainError('request/not-object');
	const area = parseRiskArea(Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([k]) => !REASON_KEYS.includes(k))));
	const preview = await maskPreview(deps, await previewRiskArea(deps, area));
	const threshold = thresholdOf(deps);
	return { preview, threshold, needsApproval: preview.changed > threshold, place: placeOf(area.shape, await storedDistricts(deps)) };
}
