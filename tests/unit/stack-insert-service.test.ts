import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { insertService } from "~/app/_features/stacks/insert-service";

const converted = "services:\n  nginx:\n    image: nginx\n    ports:\n      - 127.0.0.1:8080:80\nvolumes:\n  data:\n    name: data\n";

describe("insertService (Convert docker run into the edited file)", () => {
  it("adds the service under services: and keeps the file's comments", () => {
    const r = insertService("# mine\nservices:\n  web:\n    image: nginx # pinned later\n", converted, "nginx");
    expect(r.service).toBe("nginx");
    expect(r.text).toContain("# mine");
    expect(r.text).toContain("# pinned later");
    expect(parse(r.text)).toEqual({
      services: { web: { image: "nginx" }, nginx: { image: "nginx", ports: ["127.0.0.1:8080:80"] } },
      volumes: { data: { name: "data" } },
    });
  });

  it("renames the service when its name is taken, and keeps an existing volume as it is", () => {
    const r = insertService("services:\n  nginx:\n    image: x\nvolumes:\n  data: {}\n", converted, "nginx");
    expect(r.service).toBe("nginx-2");
    const doc = parse(r.text);
    expect(Object.keys(doc.services)).toEqual(["nginx", "nginx-2"]);
    expect(doc.services.nginx.image).toBe("x");
    expect(doc.volumes.data).toEqual({});
  });

  it("fills an empty file in block style", () => {
    const r = insertService("", converted, "nginx");
    expect(r.text.startsWith("services:\n  nginx:\n")).toBe(true);
  });

  it("appends to a file that does not parse, rather than losing it", () => {
    const r = insertService("services: [\n", converted, "nginx");
    expect(r.text.startsWith("services: [\n")).toBe(true);
    expect(r.text).toContain("image: nginx");
  });
});
