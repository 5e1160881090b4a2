/** The roles a user can hold. Roles say what a user may do; groups (police units) and the tenant say on what. */
export const roles = ["officer", "supervisor", "investigator", "analyst", "admin", "auditor"] as const;
export type Role = (typeof roles)[number];

/**
 * Which roles hold each permission. Every `/v2` route names exactly one permission in `config.permission`
 * (the app refuses to start otherwise), so this table is the whole authorization matrix; row-level rules
 * (which tasks a user sees, tenants) live in the repositories.
 */
export const permissionRoles = {
	/** Read one's own identity. */
	"session:read": ["officer", "supervisor", "investigator", "analyst", "admin", "auditor"],
	/** List users of one's tenant. */
	"user:read": ["supervisor", "admin"],
	/** Create users. */
	"user:manage": ["admin"],
	/** Search the audit log of one's tenant and verify the chain. */
	"audit:read": ["auditor", "admin"],
	/** Search and read the user tasks visible to one. */
	"task:read": ["officer", "supervisor", "investigator", "admin"],
	/** Claim, unassign oneself, comment, complete, keep saved filters. */
	"task:work": ["officer", "supervisor", "investigator", "admin"],
	/** Assign to others, change due/follow-up dates, candidate groups and priority. */
	"task:manage": ["supervisor", "admin"],
	/** Read process definitions, instances, incidents and statistics (the monitor). */
	"process:read": ["analyst", "supervisor", "admin"],
	/** Start process instances (e.g. register a report; analysts try out what they deploy). */
	"process:start": ["officer", "supervisor", "analyst", "admin"],
	/** Cancel instances, edit variables, resolve incidents, batch operations. */
	"process:operate": ["admin"],
	/** Read case files of one's units, up to one's clearance. */
	"case:read": ["officer", "supervisor", "investigator", "admin"],
	/** Deploy BPMN, DMN and forms. */
	"process:deploy": ["analyst", "admin"],
	/** Open the event stream; each event still goes only to holders of `task:read` or `process:read` who may see it. */
	"event:read": ["officer", "supervisor", "investigator", "analyst", "admin"],
	/** Publish messages and broadcast signals. */
	"message:publish": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionRoles;

/** True when one of the roles holds the permission. */
export function hasPermission(userRoles: readonly string[], permission: Permission): boolean {
	return (permissionRoles[permission] as readonly string[]).some((role) => userRoles.includes(role));
}
