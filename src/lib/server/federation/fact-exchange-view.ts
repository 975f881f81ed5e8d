/**
 * The operators' view of this region's fact exchange (console, `tongxing federation facts`): how many facts wait,
 * went, or were rejected, the latest outbox rows with the reason of each rejection, and the latest received facts.
 * No subjects (routing hashes are about people) and no fact contents: ids, kinds, states and reasons.
 */
import type { FederationFactsView } from '../../core/contract/federation-facts.js';
import type { IssuerDeps } from '../deps.js';
import { inboxPage, outboxCounts, outboxPage } from '../store/federation-facts.js';

const STATES = ['pending', 'sent', 'rejected'];

export async function factExchangeView(deps: IssuerDeps, state?: string, limit = 200): Promise<FederationFactsView> {
	const filter = state && STATES.includes(state) ? { state } : {};
	const [counts, outbox, inbox] = await Promise.all([outboxCounts(deps.db), outboxPage(deps.db, filter, limit), inboxPage(deps.db, limit)]);
	return {
		enabled: Boolean(deps.config.gatewayUrl && deps.nationalIdKey),
		counts,
		outbox: outbox.map((o) => ({
			factId: o.fact_id,
			rev: o.rev,
			kind: o.kind,
			state: o.state,
			attempts: o.attempts,
			createdAt: o.created_at,
			doneAt: o.done_at,
			nextAttemptAt: o.next_attempt_at,
			lastError: o.last_error,
			rejectCode: o.reject_code,
			rejectField: o.reject_field
		})),
		inbox: inbox.map((i) => ({
			factId: i.fact_id,
			rev: i.rev,
			kind: i.kind,
			sourceRegion: i.source_region,
			receivedAt: i.received_at,
			outcome: i.outcome,
			rejectCode: i.reject_code
		}))
	};
}
