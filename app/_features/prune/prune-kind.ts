/** What a Prune button prunes: one kind of object, or everything (system). */
export type PruneKind = "images" | "volumes" | "networks" | "containers" | "build-cache" | "system";
