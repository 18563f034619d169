import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The JS schema engine works offline; Prisma's native engines would need a download.
const dataDir = path.resolve(process.env.BERTH_DATA_DIR ?? "./data");
const url = process.env.DATABASE_URL ?? `file:${path.join(dataDir, "berth.db")}`;
process.env.DATABASE_URL = url;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});
