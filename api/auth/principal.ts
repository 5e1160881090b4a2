/** The signed-in user a request acts for, loaded fresh from the database on each request. */
export interface Principal {
	userId: string;
	username: string;
	displayName: string;
	roles: string[];
	/** Units (`RUH-OLY`) and candidate groups (`investigation-officer:RUH-OLY`). */
	groups: string[];
	/** The agency; nothing crosses tenants. */
	tenantId: string;
}

/**
 * The units a principal belongs to: plain groups (`RUH-OLY`) and the unit suffix of scoped groups
 * (`investigation-officer:RUH-OLY` → `RUH-OLY`).
 */
export function unitsOf(groups: readonly string[]): string[] {
	return [...new Set(groups.map((group) => (group.includes(":") ? group.slice(group.lastIndexOf(":") + 1) : group)))];
}
