import type { ZBClient } from "zeebe-node";
import type { EngineQueries } from "../../engine/query/index";
import type { Principal } from "../auth/principal";
import { type ErrorCode, ProblemError } from "../errors/error-registry";

/** The engine read side the monitoring routes use (`EngineQueries` from engine/query, embedded mode only). */
export type EngineReads = Pick<
	EngineQueries,
	| "listDefinitions"
	| "getDefinition"
	| "searchInstances"
	| "getInstance"
	| "instanceVariables"
	| "elementInstances"
	| "searchIncidents"
	| "getIncident"
	| "instanceJobs"
	| "elementStatistics"
	| "instanceChanges"
	| "rootVariableOf"
	| "latestPosition"
>;

/** What the process, instance, incident and message routes need. */
export interface EngineAccessOptions {
	/** Embedded mode: the engine's read side. Absent (Zeebe cluster): monitoring reads answer 501. */
	queries?: EngineReads;
	/** zeebe-node client for commands (create, cancel, variables, incidents, messages, signals). */
	zbc?: ZBClient;
	/**
	 * The agency that owns the engine's `<default>` tenant. Env: `DEFAULT_TENANT_ID`.
	 * @default "public-security"
	 */
	defaultTenantId?: string;
}

/** Access to the engine for one request, with the tenant rule applied. */
export class EngineAccess {
	constructor(readonly options: EngineAccessOptions) {}

	/** The engine's reads. @throws ProblemError MONITORING_NOT_AVAILABLE against a Zeebe cluster. */
	get queries(): EngineReads {
		if (!this.options.queries) {
			throw new ProblemError(
				"MONITORING_NOT_AVAILABLE",
				"This API talks to a Zeebe cluster (ZEEBE_ADDRESS), which has no read side here yet; monitoring reads work with the embedded engine. Commands still work.",
			);
		}
		return this.options.queries;
	}

	/** True in embedded mode, where commands can check the caller's agency on the read side first. */
	get hasReads(): boolean {
		return this.options.queries !== undefined;
	}

	/** The zeebe-node client. @throws ProblemError ENGINE_UNAVAILABLE when the API runs without one. */
	get zbc(): ZBClient {
		if (!this.options.zbc)
			throw new ProblemError(
				"ENGINE_UNAVAILABLE",
				"This API runs without an engine connection; start it with the engine or ZEEBE_ADDRESS.",
			);
		return this.options.zbc;
	}

	/** The engine tenant a principal's agency maps to: the default one for the installation's own agency. */
	engineTenantOf(principal: Principal): string {
		return principal.tenantId === (this.options.defaultTenantId ?? "public-security")
			? "<default>"
			: principal.tenantId;
	}

	/** True when the principal's agency owns the engine's default tenant (the installation's own agency). */
	ownsDefaultTenant(principal: Principal): boolean {
		return this.engineTenantOf(principal) === "<default>";
	}

	/** True when the engine row belongs to the principal's agency. */
	owns(principal: Principal, row: { tenantId?: string | null }): boolean {
		return (row.tenantId ?? "<default>") === this.engineTenantOf(principal);
	}

	/** The tenant id to pass on commands (`undefined` for the default tenant, as Zeebe without multi-tenancy wants). */
	commandTenant(principal: Principal): string | undefined {
		const tenant = this.engineTenantOf(principal);
		return tenant === "<default>" ? undefined : tenant;
	}

	/**
	 * Runs a gRPC command and turns the engine's rejection into a problem: NOT_FOUND → 404, INVALID_ARGUMENT → 400,
	 * FAILED_PRECONDITION and ALREADY_EXISTS (a message id published before) → 409, RESOURCE_EXHAUSTED (the engine's
	 * back-pressure) → 429, anything else → 503, each carrying the engine's own message.
	 */
	async command<T>(
		what: string,
		run: (zbc: ZBClient) => Promise<T>,
		notFound: ErrorCode = "ENGINE_NOT_FOUND",
	): Promise<T> {
		const zbc = this.zbc;
		try {
			return await run(zbc);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			const code = (error as { code?: unknown }).code;
			const has = (name: string, number: number) => code === number || new RegExp(`\\b${name}\\b`).test(message);
			if (has("NOT_FOUND", 5)) throw new ProblemError(notFound, `The engine could not ${what}: ${message}`);
			if (has("INVALID_ARGUMENT", 3))
				throw new ProblemError("ENGINE_REJECTED", `The engine refused to ${what}: ${message}`);
			if (has("FAILED_PRECONDITION", 9) || has("ALREADY_EXISTS", 6))
				throw new ProblemError(
					"ENGINE_INVALID_STATE",
					`The engine refused to ${what} in its current state: ${message}`,
				);
			if (has("RESOURCE_EXHAUSTED", 8))
				throw new ProblemError(
					"RATE_LIMITED",
					`The engine is busy and refused to ${what} for now (back-pressure: ${message}); nothing was changed. Retry in a moment.`,
				);
			throw new ProblemError(
				"ENGINE_UNAVAILABLE",
				`The engine did not answer the request to ${what} (${message}); retry later.`,
			);
		}
	}
}
