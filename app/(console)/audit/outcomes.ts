/** The outcomes an entry can have (server/audit-query.ts OUTCOMES; kept here so the page does not import server code). */
export const OUTCOMES = ["ok", "error", "denied", "pending", "interrupted"] as const;
