import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import { hashPassword } from "../auth/password";
import { type User, UserSchema } from "./user.entity";

/** What is needed to create a user. */
export interface NewUser {
	username: string;
	displayName?: string;
	password?: string;
	roles: string[];
	groups: string[];
	tenantId: string;
	isDemo?: boolean;
	/** `<issuer>|<sub>` for users provisioned by OIDC sign-in. */
	externalSubject?: string;
}

/** Users: lookups for sign-in and per-request authentication, and creation. */
export class UsersRepository {
	constructor(private readonly em: EntityManager) {}

	findByUsername(username: string): Promise<User | null> {
		return this.em.findOne(UserSchema, { username });
	}

	findById(id: string): Promise<User | null> {
		return this.em.findOne(UserSchema, { id });
	}

	/** Users of one tenant, by username. */
	listInTenant(tenantId: string): Promise<User[]> {
		return this.em.find(UserSchema, { tenantId }, { orderBy: { username: "asc" } });
	}

	findByExternalSubject(externalSubject: string): Promise<User | null> {
		return this.em.findOne(UserSchema, { externalSubject });
	}

	countDemoUsers(): Promise<number> {
		return this.em.count(UserSchema, { isDemo: true });
	}

	/** Creates and flushes a user; the password is hashed with scrypt. */
	async create(input: NewUser): Promise<User> {
		const user = this.em.create(UserSchema, {
			id: randomUUID(),
			username: input.username,
			displayName: input.displayName ?? input.username,
			passwordHash: input.password ? await hashPassword(input.password) : null,
			roles: input.roles,
			groups: input.groups,
			tenantId: input.tenantId,
			isDemo: input.isDemo ?? false,
			disabled: false,
			createdAt: new Date(),
			externalSubject: input.externalSubject ?? null,
		});
		await this.em.flush();
		return user;
	}
}
