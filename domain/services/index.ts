export * from "./case.service";
export * from "./court.service";
export * from "./custody.service";
export * from "./evidence.service";
export * from "./notification.service";
export * from "./person.service";
export * from "./sequence.service";
export * from "./case-file.service";
