/**
 * The key archive's passphrase (docs/drills.md §4): TONGXING_BACKUP_PASSPHRASE, or the first line of standard input
 * with --passphrase-stdin — never an argument, which other users of the machine could read in the process list.
 */
import { readStdinUpTo } from './read-stdin.js';
import { UsageError } from './usage-error.js';

export function backupPassphrase(fromStdin: boolean | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
	if (fromStdin) {
		const { text, truncated } = readStdinUpTo(4096);
		if (truncated) throw new UsageError('the passphrase on standard input is longer than 4096 bytes');
		const line = text.split(/\r?\n/)[0] ?? '';
		if (!line) throw new UsageError('--passphrase-stdin: standard input had no passphrase');
		return line;
	}
	return env.TONGXING_BACKUP_PASSPHRASE || undefined;
}
