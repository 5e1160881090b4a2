import { api, type SearchPage } from "./client";

/** A saved task-list filter (`/v2/user-task-filters`, api/saved-filters/saved-filters.schemas.ts). */
export interface SavedFilter {
	filterId: string;
	name: string;
	owner: string;
	filter: Record<string, unknown>;
	sort: { field: string; order?: "ASC" | "DESC" }[];
	sharedWithGroup: string | null;
	createdAt: string;
}

/** `POST /v2/user-task-filters/search`: mine and those shared with my groups. */
export async function listSavedFilters(): Promise<SavedFilter[]> {
	return (await api<SearchPage<SavedFilter>>("/v2/user-task-filters/search", { method: "POST", body: {} })).items;
}

/** `POST /v2/user-task-filters`. */
export function saveFilter(
	input: Pick<SavedFilter, "name" | "filter" | "sort" | "sharedWithGroup">,
): Promise<SavedFilter> {
	return api<SavedFilter>("/v2/user-task-filters", { method: "POST", body: input });
}

/** `DELETE /v2/user-task-filters/{id}` (owner only). */
export function deleteSavedFilter(filterId: string): Promise<void> {
	return api(`/v2/user-task-filters/${encodeURIComponent(filterId)}`, { method: "DELETE" });
}
