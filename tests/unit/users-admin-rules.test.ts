/** An administrator never locks themselves out, and the last enabled Administrator stays. */
import { describe, expect, it } from "vitest";
import { adminRuleProblem, type UserChange } from "../../server/users/admin-rules";

const admin = (id: string, disabled = false) => ({ id, role: "admin", disabled });
const user = (id: string, disabled = false) => ({ id, role: "user", disabled });

describe("admin rules", () => {
  it.each<UserChange>(["disable", "delete", "demote"])("refuses to %s yourself, naming why", (change) => {
    expect(adminRuleProblem({ actorId: "a", target: admin("a"), enabledAdmins: 3, change })).toMatch(/yourself: ask another administrator/);
  });

  it("refuses to reset your own password here", () => {
    expect(adminRuleProblem({ actorId: "a", target: admin("a"), enabledAdmins: 2, change: "reset" })).toMatch(/your own password/);
  });

  it.each<UserChange>(["disable", "delete", "demote"])("refuses to %s the last enabled administrator", (change) => {
    expect(adminRuleProblem({ actorId: "u", target: admin("b"), enabledAdmins: 1, change })).toMatch(/last enabled administrator/);
  });

  it.each<UserChange>(["disable", "delete", "demote", "reset"])("allows %s of another administrator when one more is enabled", (change) => {
    expect(adminRuleProblem({ actorId: "a", target: admin("b"), enabledAdmins: 2, change })).toBeNull();
  });

  it("a disabled administrator is not the last enabled one: deleting it is allowed", () => {
    expect(adminRuleProblem({ actorId: "a", target: admin("b", true), enabledAdmins: 1, change: "delete" })).toBeNull();
  });

  it.each<UserChange>(["disable", "delete", "demote", "reset"])("allows %s of a non-administrator", (change) => {
    expect(adminRuleProblem({ actorId: "a", target: user("b"), enabledAdmins: 1, change })).toBeNull();
  });
});
