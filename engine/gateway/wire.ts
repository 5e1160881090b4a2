import * as grpc from "@grpc/grpc-js";
import type { EngineRecord } from "../core/contract";
import { DEFAULT_TENANT } from "../core/protocol";
import { EngineBackPressureError, EngineProcessingError, EngineUnavailableError } from "../runtime/runtime-errors";

/** An error with a gRPC status, sent to the client as it is. */
export class GatewayError extends Error {
	constructor(
		readonly code: grpc.status,
		message: string,
	) {
		super(message);
	}
}

/** INVALID_ARGUMENT telling the client what to fix. */
export function invalidArgument(message: string): GatewayError {
	return new GatewayError(grpc.status.INVALID_ARGUMENT, message);
}

/**
 * A JSON-object text field (`variables`): empty means `{}`; anything that is not a JSON object is
 * INVALID_ARGUMENT, as in Zeebe's gateway.
 */
export function parseJsonObject(text: string | undefined, field: string): Record<string, unknown> {
	if (text === undefined || text.trim() === "") return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw invalidArgument(`Expected '${field}' to be a JSON object text such as '{"amount": 12}', but it is not valid JSON: ${(error as Error).message}`);
	}
	if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
		throw invalidArgument(`Expected '${field}' to be a JSON object text such as '{"amount": 12}', but got ${parsed === null ? "null" : Array.isArray(parsed) ? "an array" : `a ${typeof parsed}`}.`);
	}
	return parsed as Record<string, unknown>;
}

/** An int64 key from the wire (zeebe-node sends decimal strings). Zeebe keys are positive. */
export function parseKey(value: string | number | undefined, field: string): number {
	const key = typeof value === "number" ? value : Number(value ?? "0");
	if (!Number.isSafeInteger(key) || key <= 0) {
		throw invalidArgument(`Expected '${field}' to be a Zeebe key (a positive 64-bit integer as returned by the engine), but got '${value ?? ""}'.`);
	}
	return key;
}

/** A plain int64 number field (time-outs, back-offs). */
export function parseLong(value: string | number | undefined): number {
	const parsed = typeof value === "number" ? value : Number(value ?? "0");
	return Number.isFinite(parsed) ? parsed : 0;
}

/** With multi-tenancy off, only the default tenant exists: `""` and `<default>` are accepted. */
export function checkTenant(tenantId: string | undefined): string {
	if (tenantId === undefined || tenantId === "" || tenantId === DEFAULT_TENANT) return DEFAULT_TENANT;
	throw invalidArgument(`Expected 'tenantId' to be empty or '${DEFAULT_TENANT}' because multi-tenancy is disabled, but got '${tenantId}'. Leave it empty.`);
}

/** Zeebe's rejection → gRPC status mapping (GrpcErrorMapper). */
const rejectionStatus: Record<string, grpc.status> = {
	INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
	NOT_FOUND: grpc.status.NOT_FOUND,
	ALREADY_EXISTS: grpc.status.ALREADY_EXISTS,
	INVALID_STATE: grpc.status.FAILED_PRECONDITION,
	PROCESSING_ERROR: grpc.status.INTERNAL,
	EXCEEDED_BATCH_RECORD_SIZE: grpc.status.RESOURCE_EXHAUSTED,
};

/** The answer record, or a GatewayError when it is a rejection. */
export function acceptedOrThrow(record: EngineRecord): EngineRecord {
	if (record.recordType !== "COMMAND_REJECTION") return record;
	const type = record.rejectionType ?? "PROCESSING_ERROR";
	throw new GatewayError(rejectionStatus[type] ?? grpc.status.INTERNAL, `Command '${record.intent}' rejected with code '${type}': ${record.rejectionReason ?? ""}`);
}

/** Any error thrown while serving a call, as a gRPC status object. */
export function toServiceError(error: unknown): Partial<grpc.StatusObject> {
	if (error instanceof GatewayError) return { code: error.code, details: error.message };
	if (error instanceof EngineBackPressureError) return { code: grpc.status.RESOURCE_EXHAUSTED, details: error.message };
	if (error instanceof EngineUnavailableError) return { code: grpc.status.UNAVAILABLE, details: error.message };
	if (error instanceof EngineProcessingError) return { code: grpc.status.INTERNAL, details: error.message };
	return { code: grpc.status.INTERNAL, details: `Unexpected error in the gateway: ${(error as Error)?.message ?? String(error)}` };
}
