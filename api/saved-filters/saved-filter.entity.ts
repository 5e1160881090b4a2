import { EntitySchema } from "@mikro-orm/core";

/** A task-list filter kept on the server: private to its owner, or shared with one of the owner's groups. */
export interface SavedFilter {
	id: string;
	tenantId: string;
	ownerId: string;
	ownerUsername: string;
	name: string;
	/** A `POST /v2/user-tasks/search` filter. */
	filter: Record<string, unknown>;
	sort: Array<Record<string, unknown>>;
	sharedWithGroup: string | null;
	createdAt: Date;
	updatedAt: Date;
}

export const SavedFilterSchema = new EntitySchema<SavedFilter>({
	name: "SavedFilter",
	tableName: "saved_filter",
	properties: {
		id: { type: "uuid", primary: true },
		tenantId: { type: "text" },
		ownerId: { type: "text" },
		ownerUsername: { type: "text" },
		name: { type: "text" },
		filter: { type: "json" },
		sort: { type: "json" },
		sharedWithGroup: { type: "text", nullable: true },
		createdAt: { type: "Date", columnType: "timestamptz" },
		updatedAt: { type: "Date", columnType: "timestamptz" },
	},
});
