import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, configSchema, loadConfig } from "./config";

describe("configuration", () => {
	it("should apply defaults when nothing is set", () => {
		const config = loadConfig({});
		expect(config.PORT).toBe(3000);
		expect(config.GATEWAY_PORT).toBe(26500);
		expect(config.MIZAN_MODE).toBe("demo");
		expect(config.ENGINE_CLOCK_CONTROLLED).toBe(false);
		expect(config.DATABASE_URL).toBeUndefined();
		expect(config.ENGINE_RECORD_RETENTION).toBe("instances");
		expect(config.ENGINE_RECORD_RETENTION_DAYS).toBe(365);
		expect(config.ENGINE_INSTANCE_RETENTION_DAYS).toBeUndefined();
		expect(config.ENGINE_MAX_QUEUED_COMMANDS).toBe(10_000);
	});

	it("should coerce numbers and booleans from text", () => {
		const config = loadConfig({ PORT: "8080", ENGINE_CLOCK_CONTROLLED: "true" });
		expect(config.PORT).toBe(8080);
		expect(config.ENGINE_CLOCK_CONTROLLED).toBe(true);
	});

	it.each([
		[{ PORT: "abc" }, 'PORT="abc" is not valid: must be a whole number from 1 to 65535'],
		[{ PORT: "70000" }, 'PORT="70000" is not valid: must be a whole number from 1 to 65535'],
		[{ LOG_LEVEL: "loud" }, 'LOG_LEVEL="loud" is not valid: must be one of fatal, error, warn, info, debug, trace, silent'],
		[{ DATABASE_URL: "mysql://x" }, 'DATABASE_URL="mysql://x" is not valid: must match'],
		[{ ENGINE_RECORD_RETENTION: "forever" }, 'ENGINE_RECORD_RETENTION="forever" is not valid: must be one of instances, all, since-previous-snapshot'],
		[{ ENGINE_INSTANCE_RETENTION_DAYS: "0" }, 'ENGINE_INSTANCE_RETENTION_DAYS="0" is not valid: must be a whole number from 1 to 36500'],
		[{ ENGINE_MAX_QUEUED_COMMANDS: "0" }, 'ENGINE_MAX_QUEUED_COMMANDS="0" is not valid: must be a whole number from 1 to 1000000'],
		[{ ENGINE_CLOCK_CONTROLLED: "maybe" }, 'ENGINE_CLOCK_CONTROLLED="maybe" is not valid: must be true or false'],
	])("should reject %j with one line naming the variable, value and what is allowed", (env, message) => {
		expect(() => loadConfig(env)).toThrow(ConfigError);
		expect(() => loadConfig(env)).toThrow(message);
	});

	it("should take OIDC settings together, with the claim defaults, and refuse half a setup or a bad role map", () => {
		const oidc = {
			OIDC_ISSUER_URL: "https://sso.example.gov.sa/realms/moi",
			OIDC_CLIENT_ID: "mizan",
			OIDC_REDIRECT_URI: "https://mizan.example.gov.sa/v2/auth/oidc/callback",
		};
		const config = loadConfig({ ...oidc, OIDC_ROLE_MAP: "police-officer=officer,shift-lead=supervisor" });
		expect(config).toMatchObject({ ...oidc, OIDC_SCOPES: "openid profile email", OIDC_ROLES_CLAIM: "roles", OIDC_GROUPS_CLAIM: "groups", OIDC_USERNAME_CLAIM: "preferred_username" });
		expect(loadConfig({}).OIDC_ISSUER_URL).toBeUndefined();
		expect(() => loadConfig({ OIDC_ISSUER_URL: oidc.OIDC_ISSUER_URL, OIDC_CLIENT_ID: "mizan" })).toThrow("OIDC_REDIRECT_URI must be set when OIDC_ISSUER_URL is set");
		expect(() => loadConfig({ OIDC_CLIENT_SECRET: "s" })).toThrow("OIDC_ISSUER_URL must be set when OIDC_CLIENT_SECRET is set");
		expect(() => loadConfig({ ...oidc, OIDC_ROLE_MAP: "police-officer=chief" })).toThrow('OIDC_ROLE_MAP="police-officer=chief" is not valid: must match');
		expect(() => loadConfig({ ...oidc, OIDC_ISSUER_URL: "sso.example" })).toThrow('OIDC_ISSUER_URL="sso.example" is not valid');
		expect(() => loadConfig({ ...oidc, OIDC_REDIRECT_URI: "https://mizan.example/callback" })).toThrow("OIDC_REDIRECT_URI");
		expect(() => loadConfig({ ...oidc, OIDC_SCOPES: "profile email" })).toThrow('OIDC_SCOPES="profile email" is not valid');
	});

	it("should list every variable in the README", () => {
		const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
		for (const name of Object.keys(configSchema.properties)) expect(readme).toContain(`\`${name}\``);
	});
});
