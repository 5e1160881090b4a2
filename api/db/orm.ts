import { AuditEntrySchema } from "../audit/audit-entry.entity";
import { MikroORM, PostgreSqlDriver } from "@mikro-orm/postgresql";
import { SavedFilterSchema } from "../saved-filters/saved-filter.entity";
import { UserTaskCommentSchema, UserTaskSchema } from "../tasks/user-task.entity";
import { UserSchema } from "../users/user.entity";

/** Every entity of the API. */
export const apiEntities = [UserSchema, AuditEntrySchema, UserTaskSchema, UserTaskCommentSchema, SavedFilterSchema];

/**
 * Opens the API's MikroORM on the database (after `runMigrations` with `apiMigrations`). The schema comes
 * from migrations only; entities just map it. Close with `orm.close()`.
 */
export async function createApiOrm(options: { databaseUrl: string; poolMax?: number }): Promise<MikroORM> {
	return MikroORM.init({
		driver: PostgreSqlDriver,
		clientUrl: options.databaseUrl,
		entities: apiEntities,
		discovery: { warnWhenNoEntities: false },
		pool: { min: 0, max: options.poolMax ?? 10 },
		debug: false,
		allowGlobalContext: false,
	});
}
