/**
 * A `node build` of our own (port + DATA_DIR), for specs that stop, kill and restart the server (pattern from
 * api.spec.ts). Stopped by PID only.
 */
import { expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ROOT } from './codes.js';

export class OwnServer {
	#child: ChildProcess | null = null;
	readonly url: string;

	constructor(
		readonly port: number,
		readonly dataDir: string
	) {
		this.url = `http://127.0.0.1:${port}`;
	}

	async start(): Promise<void> {
		this.#child = spawn(process.execPath, ['build'], {
			cwd: ROOT,
			env: { ...process.env, HOST: '127.0.0.1', PORT: String(this.port), DATA_DIR: this.dataDir },
			stdio: 'ignore'
		});
		await expect.poll(async () => (await fetch(`${this.url}/api/v1/health`).catch(() => null))?.status ?? 0, { timeout: 30_000 }).toBe(200);
	}

	async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
		const child = this.#child;
		this.#child = null;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill(signal);
		await exited;
	}

	/** Rows in the server's scan_events for a device: count, distinct event ids, seqs (read-only SQLite). */
	scanRows(deviceId: string): { count: number; distinct: number; seqs: number[] } {
		const db = new Database(join(this.dataDir, 'tongxing.sqlite'), { readonly: true, fileMustExist: true });
		try {
			const rows = db.prepare('SELECT event_id, seq FROM scan_events WHERE device_id = ? ORDER BY seq').all(deviceId) as {
				event_id: string;
				seq: number;
			}[];
			return { count: rows.length, distinct: new Set(rows.map((r) => r.event_id)).size, seqs: rows.map((r) => r.seq) };
		} finally {
			db.close();
		}
	}
}
