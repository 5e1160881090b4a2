// Public entry point of the case records: entities, rules, services, migrations and seed.
// domain/ imports nothing from api/, workers/, engine/ or web/ (ARCHITECTURE.md).
export * from "./entities";
export * from "./errors";
export { uuidv7 } from "./ids/uuid-v7";
export { DomainMigrationError, migrateDomainSchema } from "./migrate";
export { DOMAIN_MIGRATIONS_TABLE, domainOrmOptions, openDomainOrm } from "./orm";
export * from "./rules/arabic-name.rule";
export * from "./rules/case-number.rule";
export * from "./rules/case-states.rule";
export * from "./rules/custody-chain.rule";
export * from "./rules/digits.rule";
export * from "./rules/hijri.rule";
export * from "./rules/legal-clock.rule";
export * from "./rules/national-id.rule";
export * from "./rules/phone.rule";
export * from "./rules/state-machine.rule";
export * from "./services";
export { SEED_OFFENCES, SEED_PERSONS, SEED_UNITS, type SeedResult, seedDomain } from "./seed/seed";
