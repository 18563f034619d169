/** A template of the catalogue with where its stack file is, and who is looking (shared by catalog.ts and custom.ts). */
import type { Location } from "./fetch";
import type { AppTemplate } from "./types";

/** One template of the catalogue, with where its stack file is (or why it cannot be read, or its text). */
export interface CatalogEntry {
  template: AppTemplate;
  stackFile?: Location | { problem: string } | { content: string };
}

export interface Viewer {
  userId: string;
  /** An Administrator (any environment). */
  admin: boolean;
  /** An Environment administrator of the environment asked about. */
  envAdmin: boolean;
}
