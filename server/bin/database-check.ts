/**
 * `node <dist>/berth/database-check.mjs [file]`: the start script runs it when a
 * migration fails, because Prisma's own text rarely says what is wrong with the
 * file. Prints the reason naming the file and exits 1; exits 0 when it is usable.
 */
import path from "node:path";
import { checkDatabase, databaseFile } from "../database-check";

try {
  checkDatabase(path.resolve(process.argv[2] ?? databaseFile(path.resolve(process.env.BERTH_DATA_DIR ?? "./data"))));
} catch (err) {
  console.error(`[berth] cannot start: ${(err as Error).message}`);
  process.exit(1);
}
