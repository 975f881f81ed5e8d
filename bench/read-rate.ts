export function readRateSection(): Promise<string> {
	return Promise.reject(new Error('pending'));
}
