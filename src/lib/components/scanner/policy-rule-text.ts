import { policyRule, type EntryPolicy } from '$lib/core/contract/entry-policy';
import { t } from '$lib/i18n/i18n.svelte';

/** The venue's entry policy as one sentence, built from the rule's kind and numbers (not a text per venue). */
export function policyRuleText(policy: EntryPolicy): string {
	const rule = policyRule(policy);
	return rule.kind === 'green-with-test' ? t('scanner:rule.green-with-test', { hours: rule.hours }) : t(`scanner:rule.${rule.kind}`);
}
