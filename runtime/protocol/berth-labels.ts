/**
 * Labels Berth puts on the objects it creates for its own bookkeeping. They are
 * not the user's: a container's RunSpec (Duplicate/Edit, its `docker run`
 * command) leaves them out, and the dashboard sets them again on create.
 */
/** The id of the container's ownership row in the dashboard's database (server/authz/ownership.ts). */
export const BERTH_ACCESS_LABEL = "io.berth.access";

export const berthLabels: ReadonlySet<string> = new Set([BERTH_ACCESS_LABEL]);
