/**
 * Networks in the browser: create one with a subnet and gateway (a gateway
 * outside the subnet is shown on its field first), connect a running container
 * with a static IPv4 address and an alias, see that address on the network's
 * page and in `docker inspect`; an overlapping subnet is refused on the Subnet
 * field naming the other network; Disconnect.
 */
import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { cidrsOverlap, parseCidr } from "../../runtime/run-spec/subnets";
import { docker, dockerQuiet, signIn } from "./helpers";

const NET = "e2e-net-notes";
const OTHER = "e2e-net-overlap";
const C1 = "e2e-net-c1";

/** The 10.231.8.0/24 unless this host (another engine's bridge) or this engine already has it. */
function pickThird(): number {
  const host = execFileSync("ip", ["-o", "-4", "addr", "show"], { encoding: "utf8" }).split("\n").map((l) => /inet (\S+)/.exec(l)?.[1]).filter((s): s is string => !!s);
  const engine = docker("network", "ls", "-q").split("\n").filter(Boolean)
    .flatMap((id) => docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{end}}", id).split(" ").filter(Boolean));
  const taken = [...host, ...engine].map((s) => parseCidr(s)).filter((c) => !!c);
  return [8, ...Array.from({ length: 90 }, (_, i) => 31 + i)].find((k) => !taken.some((t) => cidrsOverlap(t, parseCidr(`10.231.${k}.0/24`)!))) ?? 8;
}

test.afterAll(() => {
  dockerQuiet("rm", "-f", C1);
  dockerQuiet("network", "rm", NET, OTHER);
});

test("create a network with a subnet, connect a container with a static IP, see it on the network page", async ({ page }) => {
  const third = pickThird();
  const subnet = `10.231.${third}.0/24`;
  const ip = `10.231.${third}.11`;
  docker("run", "-d", "--name", C1, "busybox", "sleep", "600");

  await signIn(page, "/e/local/networks");
  await expect(page.getByRole("heading", { name: "Networks" })).toBeVisible();
  await page.getByRole("button", { name: "Create network" }).click();
  const create = page.getByRole("dialog", { name: "Create network" });
  await create.getByLabel("Name").fill(NET);
  await create.getByLabel("Subnet", { exact: true }).fill(subnet);
  await create.getByLabel("Gateway", { exact: true }).fill(`10.231.${third === 200 ? 201 : 200}.1`);
  await create.getByRole("button", { name: "Create" }).click();
  // Refused on its field before anything is sent.
  await expect(create.getByLabel("Gateway", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(create).toContainText(`is outside the subnet ${subnet}`);
  await create.getByLabel("Gateway", { exact: true }).fill(`10.231.${third}.1`);
  await expect(create.getByTestId("cli")).toHaveText(`docker network create --subnet ${subnet} --gateway 10.231.${third}.1 ${NET}`);
  await create.getByRole("button", { name: "Create" }).click();

  await expect(page.getByRole("heading", { name: `Network ${NET}` })).toBeVisible();
  const details = page.getByRole("definition").filter({ hasText: subnet });
  await expect(details.first()).toBeVisible();
  await expect(page.getByText("No container is connected.")).toBeVisible();

  await page.getByRole("button", { name: "Connect a container" }).click();
  const connect = page.getByRole("dialog", { name: "Connect a container" });
  await connect.getByLabel("Container").selectOption(C1);
  // An address outside the subnet is refused on its field.
  await connect.getByLabel("IPv4 address").fill("10.99.0.5");
  await connect.getByRole("button", { name: "Connect" }).click();
  await expect(connect.getByLabel("IPv4 address")).toHaveAttribute("aria-invalid", "true");
  await connect.getByLabel("IPv4 address").fill(ip);
  await connect.getByLabel("Aliases").fill("notes-web");
  await connect.getByRole("button", { name: "Connect" }).click();
  await expect(connect).toBeHidden();

  const row = page.locator(`tr[data-container="${C1}"]`);
  await expect(row).toContainText(`${ip}/24`);
  await expect(row).toContainText("notes-web");
  expect(docker("inspect", "-f", `{{(index .NetworkSettings.Networks "${NET}").IPAddress}}`, C1)).toBe(ip);

  // The list shows it with its subnet and one container.
  await page.getByRole("link", { name: "All networks" }).click();
  const listed = page.locator(`tr[data-network="${NET}"]`);
  await expect(listed).toContainText(subnet);
  await expect(listed.locator("td").nth(7)).toHaveText("1");

  // An overlapping subnet: refused on the Subnet field, naming the other network.
  await page.getByRole("button", { name: "Create network" }).click();
  const again = page.getByRole("dialog", { name: "Create network" });
  await again.getByLabel("Name").fill(OTHER);
  await again.getByLabel("Subnet", { exact: true }).fill(`10.231.${third}.128/25`);
  await again.getByRole("button", { name: "Create" }).click();
  await expect(again.getByLabel("Subnet", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(again).toContainText(`network "${NET}"`);
  await again.getByRole("button", { name: "Cancel" }).click();

  // Disconnect from the network's page.
  await page.getByRole("link", { name: `Network ${NET}` }).click();
  await page.getByRole("button", { name: `Disconnect ${C1}` }).click();
  await expect(page.getByText("No container is connected.")).toBeVisible();
});
