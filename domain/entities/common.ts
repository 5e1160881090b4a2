import type { EntityProperty } from "@mikro-orm/core";
import { uuidv7 } from "../ids/uuid-v7";

/** NDMO classification levels (domain.md §3.6). Criminal data defaults to RESTRICTED or SECRET. */
export const CLASSIFICATIONS = ["PUBLIC", "RESTRICTED", "SECRET", "TOP_SECRET"] as const;
/** One of {@link CLASSIFICATIONS}. */
export type Classification = (typeof CLASSIFICATIONS)[number];

/** A UUIDv7 primary key, generated when the entity is created. */
export const uuidPrimaryKey = {
	type: "uuid",
	primary: true,
	onCreate: () => uuidv7(),
} as const satisfies Partial<EntityProperty>;

/** A `timestamptz` column (instants are stored in UTC; Riyadh is applied on display). */
export const instant = { type: "datetime", columnType: "timestamptz" } as const;

/** A `timestamptz` column filled when the row is inserted. */
export const createdAtColumn = { ...instant, onCreate: () => new Date() } as const;

/** A text column restricted to the given values (a CHECK constraint in PostgreSQL). */
export function textEnum<const T extends readonly string[]>(
	items: T,
	extra: { nullable?: boolean; default?: T[number] } = {},
) {
	return { enum: true as const, items: [...items], columnType: "text", ...extra };
}
