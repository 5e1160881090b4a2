import Ajv, { type ErrorObject } from "ajv";

/**
 * Every environment variable Mizan reads, with its default. The README's configuration table is checked
 * against this schema by `config.test.ts`, so the two cannot drift apart.
 */
export const configSchema = {
	type: "object",
	additionalProperties: true,
	properties: {
		MIZAN_MODE: {
			type: "string",
			enum: ["demo", "production"],
			default: "demo",
			description: "demo seeds demo users and data; production refuses demo users and needs real secrets",
		},
		PORT: { type: "integer", minimum: 1, maximum: 65535, default: 3000, description: "HTTP port of the API and web app" },
		HOST: { type: "string", minLength: 1, default: "127.0.0.1", description: "address the HTTP server binds to" },
		GATEWAY_PORT: { type: "integer", minimum: 1, maximum: 65535, default: 26500, description: "Zeebe gRPC gateway port of the embedded engine" },
		GATEWAY_HOST: { type: "string", minLength: 1, default: "127.0.0.1", description: "address the gateway binds to" },
		MANAGEMENT_PORT: { type: "integer", minimum: 1, maximum: 65535, default: 9600, description: "engine management port (/actuator/…)" },
		DATABASE_URL: {
			type: "string",
			pattern: "^postgres(ql)?://",
			description: "PostgreSQL to use; unset = embedded PostgreSQL under DATA_DIR",
		},
		DATA_DIR: { type: "string", minLength: 1, default: ".data", description: "folder for the embedded PostgreSQL's data" },
		EMBEDDED_PG_PORT: {
			type: "integer",
			minimum: 1,
			maximum: 65535,
			default: 5433,
			description: "port of the embedded PostgreSQL (loopback only)",
		},
		ZEEBE_ADDRESS: {
			type: "string",
			pattern: "^[A-Za-z0-9.-]+:[0-9]{1,5}$",
			description: "host:port of a Zeebe cluster; set = do not start the embedded engine",
		},
		LOG_LEVEL: {
			type: "string",
			enum: ["fatal", "error", "warn", "info", "debug", "trace", "silent"],
			default: "info",
			description: "pino log level",
		},
		LOG_FORMAT: {
			type: "string",
			enum: ["auto", "json", "pretty"],
			default: "auto",
			description: "auto = pretty in a terminal, JSON otherwise",
		},
		JWT_SECRET: {
			type: "string",
			minLength: 1,
			description: "HMAC key of the API's tokens (HS256); production needs 32+ characters; demo without it uses a random key per start",
		},
		JWT_PRIVATE_KEY_FILE: {
			type: "string",
			minLength: 1,
			description: "Ed25519 private key (PKCS#8 PEM file) to sign API tokens with EdDSA instead of HS256; public key at /v2/auth/jwks",
		},
		JWT_TTL_SECONDS: { type: "integer", minimum: 30, maximum: 86400, default: 900, description: "lifetime of an API token in seconds" },
		LOGIN_RATE_LIMIT_MAX: { type: "integer", minimum: 1, maximum: 10000, default: 10, description: "sign-in attempts per client address and window" },
		LOGIN_RATE_LIMIT_WINDOW_MS: { type: "integer", minimum: 1000, maximum: 86400000, default: 60000, description: "window of the sign-in rate limit in ms" },
		BODY_LIMIT_BYTES: { type: "integer", minimum: 1024, maximum: 104857600, default: 1048576, description: "largest HTTP request body accepted" },
		TRUST_PROXY: {
			type: "string",
			minLength: 1,
			description: "proxies whose X-Forwarded-For is believed for the audit log's client IP: an address, CIDR list, or true",
		},
		OIDC_ISSUER_URL: {
			type: "string",
			pattern: "^https?://[^\\s]+$",
			description: "OIDC provider's issuer URL (its /.well-known/openid-configuration is read); set = OIDC sign-in is offered",
		},
		OIDC_CLIENT_ID: { type: "string", minLength: 1, description: "client id of Mizan at the OIDC provider" },
		OIDC_CLIENT_SECRET: { type: "string", minLength: 1, description: "client secret at the OIDC provider; unset = public client (PKCE only)" },
		OIDC_REDIRECT_URI: {
			type: "string",
			pattern: "^https?://[^\\s]+/v2/auth/oidc/callback$",
			description: "this API's /v2/auth/oidc/callback as the browser reaches it, registered at the provider",
		},
		OIDC_SCOPES: { type: "string", pattern: "(^| )openid( |$)", default: "openid profile email", description: "scopes asked for; must include openid" },
		OIDC_USERNAME_CLAIM: { type: "string", minLength: 1, default: "preferred_username", description: "ID token claim giving the Mizan username" },
		OIDC_ROLES_CLAIM: { type: "string", minLength: 1, default: "roles", description: "ID token claim (dot path, e.g. realm_access.roles) with the roles" },
		OIDC_GROUPS_CLAIM: { type: "string", minLength: 1, default: "groups", description: "ID token claim with the units and candidate groups" },
		OIDC_ROLE_MAP: {
			type: "string",
			pattern: "^[^=,]+=(officer|supervisor|investigator|analyst|admin|auditor)(,[^=,]+=(officer|supervisor|investigator|analyst|admin|auditor))*$",
			description: "provider role=Mizan role pairs, comma separated (e.g. police-officer=officer); Mizan role names count as themselves",
		},
		OIDC_TENANT_CLAIM: { type: "string", minLength: 1, description: "ID token claim naming the agency (tenant); unset = DEFAULT_TENANT_ID" },
		DEFAULT_TENANT_ID: { type: "string", pattern: "^[a-z0-9-]{1,64}$", default: "public-security", description: "tenant (agency) of the demo users and of tasks without one" },
		FORMS_DIR: { type: "string", minLength: 1, default: "forms", description: "folder of Camunda Forms used to validate task completions" },
		DEMO_DATA: {
			type: "boolean",
			default: true,
			description: "in demo mode: seed units, people and offences and deploy the case processes at start",
		},
		ENGINE_RECORD_RETENTION: {
			type: "string",
			enum: ["instances", "all", "since-previous-snapshot"],
			default: "instances",
			description: "what the engine's record log keeps: records of instances until ENGINE_RECORD_RETENTION_DAYS after they end, everything, or only what recovery needs",
		},
		ENGINE_RECORD_RETENTION_DAYS: {
			type: "integer",
			minimum: 0,
			maximum: 36500,
			default: 365,
			description: "days the records of an ended process instance stay in the engine's log",
		},
		ENGINE_INSTANCE_RETENTION_DAYS: {
			type: "integer",
			minimum: 1,
			maximum: 36500,
			description: "days an ended process instance stays in the query side (monitoring, case timeline); unset = for good",
		},
		ENGINE_MAX_QUEUED_COMMANDS: {
			type: "integer",
			minimum: 1,
			maximum: 1000000,
			default: 10000,
			description: "commands waiting for the engine's processing loop beyond this are refused with RESOURCE_EXHAUSTED (back-pressure)",
		},
		ENGINE_CLOCK_CONTROLLED: {
			type: "boolean",
			default: false,
			description: "true enables /actuator/clock to pin or move the engine clock (tests and demos only)",
		},
	},
	// OIDC sign-in needs its issuer, client id and redirect URI together.
	dependencies: {
		OIDC_ISSUER_URL: ["OIDC_CLIENT_ID", "OIDC_REDIRECT_URI"],
		OIDC_CLIENT_ID: ["OIDC_ISSUER_URL"],
		OIDC_REDIRECT_URI: ["OIDC_ISSUER_URL"],
		OIDC_CLIENT_SECRET: ["OIDC_ISSUER_URL"],
		OIDC_ROLE_MAP: ["OIDC_ISSUER_URL"],
		OIDC_TENANT_CLAIM: ["OIDC_ISSUER_URL"],
	},
} as const;

type SchemaProperties = typeof configSchema.properties;
type ValueOf<P> = P extends { enum: readonly (infer E)[] }
	? E
	: P extends { type: "integer" }
		? number
		: P extends { type: "boolean" }
			? boolean
			: string;
type WithDefault = { [K in keyof SchemaProperties]: SchemaProperties[K] extends { default: unknown } ? K : never }[keyof SchemaProperties];

/** The validated configuration. */
export type Config = { [K in WithDefault]: ValueOf<SchemaProperties[K]> } & {
	[K in Exclude<keyof SchemaProperties, WithDefault>]?: ValueOf<SchemaProperties[K]>;
};

/** Thrown with a one-line message naming the variable, its value and what is allowed. */
export class ConfigError extends Error {
	override name = "ConfigError";
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true, strict: false });
const validate = ajv.compile(configSchema);

/**
 * Reads and validates the configuration from environment variables. Unknown variables are ignored;
 * empty strings count as unset.
 * @throws ConfigError on the first invalid variable, e.g. `PORT="abc" is not valid: must be integer (1–65535)`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const input: Record<string, unknown> = {};
	for (const name of Object.keys(configSchema.properties)) {
		const value = env[name];
		if (value !== undefined && value !== "") input[name] = value;
	}
	const original = { ...input };
	if (!validate(input)) {
		const error = (validate.errors ?? [])[0] as ErrorObject;
		if (error.keyword === "dependencies") {
			const { property, missingProperty } = error.params as { property: string; missingProperty: string };
			throw new ConfigError(`${missingProperty} must be set when ${property} is set (OIDC sign-in needs OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_REDIRECT_URI together)`);
		}
		const name = error.instancePath.replace(/^\//, "") || String(error.params?.missingProperty ?? "");
		throw new ConfigError(`${name}=${JSON.stringify(original[name])} is not valid: ${describe(name, error)}`);
	}
	return input as Config;
}

function describe(name: string, error: ErrorObject): string {
	const property = (configSchema.properties as Record<string, Record<string, unknown>>)[name] ?? {};
	if (property.enum) return `must be one of ${(property.enum as string[]).join(", ")}`;
	if (property.type === "integer") return `must be a whole number from ${property.minimum} to ${property.maximum}`;
	if (property.type === "boolean") return "must be true or false";
	if (property.pattern) return `must match ${property.pattern} (${property.description})`;
	return error.message ?? "invalid";
}
