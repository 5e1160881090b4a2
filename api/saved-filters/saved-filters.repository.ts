import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Principal } from "../auth/principal";
import { type SavedFilter, SavedFilterSchema } from "./saved-filter.entity";

/** Saved filters: a user reads their own and those shared with one of their groups, within their tenant. */
export class SavedFiltersRepository {
	constructor(private readonly em: EntityManager) {}

	private visibleTo(principal: Principal) {
		return {
			tenantId: principal.tenantId,
			$or: [{ ownerId: principal.userId }, { sharedWithGroup: { $in: principal.groups } }],
		};
	}

	list(principal: Principal): Promise<SavedFilter[]> {
		return this.em.find(SavedFilterSchema, this.visibleTo(principal), { orderBy: { name: "asc", id: "asc" } });
	}

	findVisible(principal: Principal, id: string): Promise<SavedFilter | null> {
		return this.em.findOne(SavedFilterSchema, { id, ...this.visibleTo(principal) });
	}

	async create(
		principal: Principal,
		input: Pick<SavedFilter, "name" | "filter" | "sort" | "sharedWithGroup">,
	): Promise<SavedFilter> {
		const now = new Date();
		const saved = this.em.create(SavedFilterSchema, {
			id: randomUUID(),
			tenantId: principal.tenantId,
			ownerId: principal.userId,
			ownerUsername: principal.username,
			...input,
			createdAt: now,
			updatedAt: now,
		});
		await this.em.flush();
		return saved;
	}

	async remove(saved: SavedFilter): Promise<void> {
		await this.em.remove(saved).flush();
	}
}
