declare module "async-exit-hook" {
	/** Registers a hook run on exit; see the package's README. */
	interface AsyncExitHook {
		(hook: (done?: () => void) => void): void;
		/** Removes the package's handler for a process event or signal. */
		unhookEvent(event: string): void;
		hookedEvents(): string[];
	}
	const asyncExitHook: AsyncExitHook;
	export default asyncExitHook;
}
