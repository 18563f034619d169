/**
 * The one Prisma client. Next's bundle and the custom server are two module
 * graphs in one process, so the instance lives on globalThis.
 */
import path from "node:path";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

function databaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const dataDir = path.resolve(process.env.BERTH_DATA_DIR ?? "./data");
  return `file:${path.join(dataDir, "berth.db")}`;
}

function create() {
  // better-sqlite3 waits for another process's lock synchronously, holding the event loop:
  // every page, health check and stream stalls while it waits. Only other processes (a
  // backup, an sqlite3 shell) lock this file, so waiting briefly and then refusing the one
  // call (a clear "database is locked" error) beats freezing the dashboard for 5 s per query.
  const adapter = new PrismaBetterSQLite3({ url: databaseUrl(), timeout: 250 });
  // Password hashes never leave the database unless a query asks for them by name.
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true } } });
}

type Db = ReturnType<typeof create>;
const g = globalThis as unknown as { __berthDb?: Db };

export const db: Db = g.__berthDb ?? (g.__berthDb = create());
