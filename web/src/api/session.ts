import { api, setToken } from "./client";

/** The signed-in user as answered by `GET /v2/auth/me`. */
export interface Principal {
	userId: string;
	username: string;
	displayName: string;
	roles: string[];
	groups: string[];
	tenantId: string;
}

/** The screens of the app; the navigation offers those the roles may use. */
export type Screen = "tasks" | "modeler" | "forms" | "start" | "monitor" | "audit";

const screenRoles: Record<Screen, readonly string[]> = {
	tasks: ["officer", "supervisor", "investigator", "admin"],
	modeler: ["analyst", "admin"],
	forms: ["analyst", "admin"],
	// Starting instances by hand is for analysts trying a process and admins; officers start theirs from case screens.
	start: ["analyst", "admin"],
	monitor: ["admin"],
	audit: ["auditor", "admin"],
};

/** The screens `principal` may open, in navigation order. Mirrors api/auth/permissions.ts. */
export function screensFor(principal: Principal): Screen[] {
	return (Object.keys(screenRoles) as Screen[]).filter((screen) =>
		screenRoles[screen].some((role) => principal.roles.includes(role)),
	);
}

/** `POST /v2/auth/login`, then `GET /v2/auth/me`. @throws ApiProblem INVALID_CREDENTIALS, RATE_LIMITED. */
export async function signIn(username: string, password: string): Promise<Principal> {
	const answer = await api<{ token: string }>("/v2/auth/login", { method: "POST", body: { username, password } });
	setToken(answer.token);
	return me();
}

/** `GET /v2/auth/me`. */
export function me(): Promise<Principal> {
	return api<Principal>("/v2/auth/me");
}

/** Forgets the token (JWTs are stateless: there is no server-side sign-out). */
export function signOut(): void {
	setToken(null);
}
