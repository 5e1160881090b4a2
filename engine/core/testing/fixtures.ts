/// <reference types="vite/client" />

/**
 * The `.bpmn`/`.dmn` fixtures beside the core tests, as text. Loaded by the test bundler (vitest) rather
 * than `node:fs`, so that even the tests of the pure core import no I/O module.
 */
const fixtures = import.meta.glob<string>("../fixtures/*", { query: "?raw", import: "default", eager: true });

/** The text of `engine/core/fixtures/<name>`; throws naming the file when it does not exist. */
export function fixture(name: string): string {
	const text = fixtures[`../fixtures/${name}`];
	if (text === undefined) throw new Error(`no fixture '${name}' in engine/core/fixtures; add the file or fix the name`);
	return text;
}
