import { EntitySchema } from "@mikro-orm/core";

/** A person who signs in to Mizan. */
export interface User {
	id: string;
	username: string;
	displayName: string;
	/** scrypt hash (see auth/password.ts); null for users who sign in only through OIDC. */
	passwordHash: string | null;
	roles: string[];
	groups: string[];
	tenantId: string;
	/** Seeded from scripts/demo-users.json; production refuses to start while any exists. */
	isDemo: boolean;
	disabled: boolean;
	createdAt: Date;
	/** `<issuer>|<sub>` of the OIDC account this user signs in with; null for local users. */
	externalSubject?: string | null;
}

export const UserSchema = new EntitySchema<User>({
	name: "User",
	tableName: "api_user",
	properties: {
		id: { type: "uuid", primary: true },
		username: { type: "text", unique: true },
		displayName: { type: "text" },
		passwordHash: { type: "text", nullable: true },
		roles: { type: "text[]" },
		groups: { type: "text[]" },
		tenantId: { type: "text" },
		isDemo: { type: "boolean" },
		disabled: { type: "boolean" },
		createdAt: { type: "Date", columnType: "timestamptz" },
		externalSubject: { type: "text", nullable: true },
	},
});
