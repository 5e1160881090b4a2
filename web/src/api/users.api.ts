import { api, type SearchPage } from "./client";

/** A user of the tenant (`POST /v2/users/search`, supervisors and admins). */
export interface TenantUser {
	userId: string;
	username: string;
	displayName: string;
	roles: string[];
	groups: string[];
	disabled?: boolean;
}

/** `POST /v2/users/search`, optionally only the members of `group`. */
export async function searchUsers(filter: { role?: string; group?: string } = {}): Promise<TenantUser[]> {
	return (await api<SearchPage<TenantUser>>("/v2/users/search", { method: "POST", body: { filter } })).items;
}
