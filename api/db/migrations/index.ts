import type { NamedMigration } from "../migrate";
import { Migration20261128Platform } from "./migration-20261128-platform";

/** The API's migrations, oldest first. Add new ones at the end; never edit one that has shipped. */
export const apiMigrations: NamedMigration[] = [{ name: "Migration20261128Platform", class: Migration20261128Platform }];
