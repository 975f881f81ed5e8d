/**
 * A distinct sound and vibration per outcome, so a guard who is looking at the person (not the screen) still
 * knows: admit = one short high tone; caution = two mid tones; refuse = one long low buzz. Best effort: no
 * audio context before a user gesture, no vibration on desktops; the verdict is on screen regardless.
 */
import type { Outcome } from '$lib/core/contract/entry-policy';

const TONES: Record<Outcome, { freq: number; type: OscillatorType; beeps: number[] }> = {
	admit: { freq: 1320, type: 'sine', beeps: [0.12] },
	caution: { freq: 660, type: 'triangle', beeps: [0.15, 0.15] },
	refuse: { freq: 220, type: 'square', beeps: [0.6] }
};
export const VIBRATION: Record<Outcome, number[]> = { admit: [80], caution: [150, 100, 150], refuse: [500, 100, 500] };

let ctx: AudioContext | undefined;

/** Call from a user gesture (enrol, "start camera") so later verdicts may play sound. */
export function unlockAudio(): void {
	try {
		ctx ??= new AudioContext();
		void ctx.resume();
	} catch {
		ctx = undefined;
	}
}

export function signal(outcome: Outcome, opts: { sound: boolean }): void {
	try {
		navigator.vibrate?.(VIBRATION[outcome]);
	} catch {
		// not supported
	}
	if (!opts.sound || !ctx || ctx.state !== 'running') return;
	const { freq, type, beeps } = TONES[outcome];
	let t = ctx.currentTime;
	for (const len of beeps) {
		const osc = ctx.createOscillator();
		const gain = ctx.createGain();
		osc.type = type;
		osc.frequency.value = freq;
		gain.gain.setValueAtTime(0.2, t);
		gain.gain.exponentialRampToValueAtTime(0.001, t + len);
		osc.connect(gain).connect(ctx.destination);
		osc.start(t);
		osc.stop(t + len);
		t += len + 0.08;
	}
}
