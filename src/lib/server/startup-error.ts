/**
 * A setup the server must not start with (a missing SMS sender in production, a bad key file, no keys): the
 * message names what is wrong and how to fix it; hooks.server.ts prints it as one line and exits 1, no stack trace.
 */
export class StartupError extends Error {
	override readonly name: string = 'StartupError';
}
