/**
 * Template lists as Portainer writes them (v2 and v3, shapes taken from
 * portainer/templates), read leniently: what is understood is kept, each
 * problem is reported with the template's index and field.
 */
import { describe, expect, it } from "vitest";
import { noteText, parseTemplateList } from "../../server/templates/parse";

const opts = { idPrefix: "source:0", source: "source" as const, sourceName: "https://example.test/t.json" };

const v2 = {
  version: "2",
  templates: [
    {
      type: 1,
      title: "Registry",
      description: "Docker image registry",
      categories: ["docker"],
      platform: "linux",
      logo: "https://portainer-io-assets.sfo2.digitaloceanspaces.com/logos/registry.png",
      image: "registry:latest",
      ports: ["5000/tcp"],
      volumes: [{ container: "/var/lib/registry" }],
    },
    {
      type: 1,
      title: "MySQL",
      description: "The most popular open-source database",
      note: "Root password is <b>required</b>.<br>See &lt;docs&gt;",
      categories: ["database"],
      image: "mysql:latest",
      env: [{ name: "MYSQL_ROOT_PASSWORD", label: "Root password" }],
      ports: ["3306/tcp"],
      volumes: [{ container: "/var/lib/mysql" }],
    },
    {
      type: 2,
      title: "Portainer Agent",
      description: "Manage all the resources in your Swarm cluster",
      categories: ["portainer"],
      platform: "linux",
      repository: { url: "https://github.com/portainer/templates", stackfile: "stacks/portainer-agent/docker-stack.yml" },
    },
    {
      type: 3,
      title: "Wordpress",
      description: "Wordpress setup with a MySQL database",
      categories: ["CMS"],
      repository: { url: "https://github.com/portainer/templates", stackfile: "stacks/wordpress/docker-compose.yml" },
      env: [{ name: "MYSQL_DATABASE_PASSWORD", label: "Database root password", description: "Password used by the MySQL root user." }],
    },
    {
      type: 1,
      title: "Nextcloud",
      image: "nextcloud:latest",
      registry: "quay.io",
      restart_policy: "unless-stopped",
      privileged: true,
      interactive: true,
      command: "apache2-foreground",
      labels: [{ name: "com.example.app", value: "nextcloud" }],
      env: [
        { name: "MODE", label: "Mode", select: [{ text: "Fast", value: "fast" }, { text: "Safe", value: "safe", default: true }] },
        { name: "FIXED", default: "1", preset: true },
      ],
      ports: ["8080:80/tcp", "443/tcp"],
      administrator_only: true,
    },
    // Odd entries a real list has: each is reported, the rest stays.
    { type: 4, title: "Edge thing", repository: { url: "x", stackfile: "y" } },
    { type: 1, image: "busybox" },
    { type: 1, title: "No image" },
    "not an object",
    { type: 3, title: "No repository" },
    {
      type: 1,
      title: "Bad fields",
      image: "nginx",
      logo: "javascript:alert(1)",
      ports: ["80/tcp", "eighty", 443],
      restart_policy: "sometimes",
      categories: "web",
      volumes: [{ container: "/ok" }, { bind: "/no-container" }],
    },
  ],
};

describe("v2 lists", () => {
  const r = parseTemplateList(v2, opts);

  it("keeps every template it understands, with ids by position", () => {
    expect(r.version).toBe("2");
    expect(r.templates.map((t) => t.template.title)).toEqual(["Registry", "MySQL", "Portainer Agent", "Wordpress", "Nextcloud", "Bad fields"]);
    expect(r.templates.map((t) => t.template.id)).toEqual(["source:0:0", "source:0:1", "source:0:2", "source:0:3", "source:0:4", "source:0:10"]);
    expect(r.templates[0]!.template).toMatchObject({ type: "container", image: "registry:latest", ports: ["5000/tcp"], volumes: [{ container: "/var/lib/registry" }], source: "source", sourceName: opts.sourceName });
  });

  it("reads types 2 and 3 as stacks with their repository", () => {
    expect(r.templates[2]!.template.type).toBe("stack");
    expect(r.templates[3]!.repository).toEqual({ url: "https://github.com/portainer/templates", stackfile: "stacks/wordpress/docker-compose.yml" });
    expect(r.templates[3]!.template.env).toEqual([{ name: "MYSQL_DATABASE_PASSWORD", label: "Database root password", description: "Password used by the MySQL root user." }]);
  });

  it("reads every container field Portainer has", () => {
    const t = r.templates[4]!.template;
    expect(t).toMatchObject({
      image: "quay.io/nextcloud:latest", restartPolicy: "unless-stopped", privileged: true, interactive: true, command: "apache2-foreground",
      labels: [{ name: "com.example.app", value: "nextcloud" }], ports: ["8080:80/tcp", "443/tcp"], administratorOnly: true,
    });
    expect(t.env).toEqual([
      { name: "MODE", label: "Mode", select: [{ text: "Fast", value: "fast" }, { text: "Safe", value: "safe", default: true }] },
      { name: "FIXED", default: "1", preset: true },
    ]);
  });

  it("shows a note's HTML as text", () => {
    expect(r.templates[1]!.template.note).toBe("Root password is required.\nSee <docs>");
    expect(noteText("<script>x</script>a &amp; b")).toBe("xa & b");
  });

  it("reports each problem with the index and field, and drops only what is wrong", () => {
    expect(r.problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^templates\[5\]\.type: 4 \(an edge stack\) is not supported: left out$/),
      "templates[6].title: is required: left out",
      "templates[7].image: is required for a container template: left out",
      "templates[8]: must be an object: left out",
      "templates[9].repository: a stack template needs {url, stackfile}: left out",
      "templates[10].logo: must be an http(s) URL: left out",
      expect.stringMatching(/^templates\[10\]\.ports\[1\]: must look like 80\/tcp/),
      expect.stringMatching(/^templates\[10\]\.ports\[2\]: /),
      expect.stringMatching(/^templates\[10\]\.restart_policy: /),
      "templates[10].categories: must be a list",
      expect.stringMatching(/^templates\[10\]\.volumes\[1\]\.container: /),
    ]));
    const bad = r.templates[5]!.template;
    expect(bad).toMatchObject({ title: "Bad fields", ports: ["80/tcp"], volumes: [{ container: "/ok" }], categories: [] });
    expect(bad.logo).toBeUndefined();
    expect(bad.restartPolicy).toBeUndefined();
  });
});

describe("v3 lists", () => {
  const v3 = {
    version: "3",
    templates: [
      { id: 1, type: 1, title: "Nginx", image: "nginx:latest", ports: ["80/tcp", "443/tcp"], volumes: [{ container: "/etc/nginx" }, { container: "/usr/share/nginx/html", bind: "/srv/html", readonly: true }], categories: ["webserver"] },
      { id: 37, type: 3, title: "Wordpress", repository: { url: "https://github.com/portainer/templates", stackfile: "stacks/wordpress/docker-compose.yml" } },
      { id: 37, type: 1, title: "Duplicate id", image: "busybox" },
      { id: "12", type: "container", title: "Legacy type", image: "redis" },
      { type: 1, title: "No id", image: "redis" },
      { id: 5, type: 1, title: "Memory", image: "elasticsearch:7.6.2", memory: "1g", env: [{ name: "A", default: 5 }] },
    ],
  };
  const r = parseTemplateList(v3, { idPrefix: "builtin", source: "builtin" });

  it("uses the numeric ids, refuses a duplicate, falls back to the position", () => {
    expect(r.templates.map((t) => t.template.id)).toEqual(["builtin:1", "builtin:37", "builtin:12", "builtin:4", "builtin:5"]);
    expect(r.problems).toContain("templates[2].id: 37 is used twice: left out");
  });

  it("keeps binds, read-only, memory and number defaults", () => {
    expect(r.templates[0]!.template.volumes).toEqual([{ container: "/etc/nginx" }, { container: "/usr/share/nginx/html", bind: "/srv/html", readonly: true }]);
    expect(r.templates[4]!.template.memory).toBe("1g");
    expect(r.templates[4]!.template.env).toEqual([{ name: "A", default: "5" }]);
  });
});

describe("lists that are not lists", () => {
  it("says what is wrong", () => {
    expect(parseTemplateList(null, opts).problems).toEqual([expect.stringMatching(/must be an object/)]);
    expect(parseTemplateList({ version: "3", templates: {} }, opts).problems).toContain("templates: must be a list");
    expect(parseTemplateList({ version: "9", templates: [] }, opts).problems).toEqual(['version: "9" is not 2 or 3: read as version 3']);
    const bare = parseTemplateList([{ type: 1, title: "A", image: "a" }], opts);
    expect(bare.templates).toHaveLength(1);
    expect(bare.problems[0]).toMatch(/bare array/);
  });

  it("bounds the number of templates read", () => {
    const many = { version: "2", templates: Array.from({ length: 1500 }, (_, i) => ({ type: 1, title: `T${i}`, image: "busybox" })) };
    const r = parseTemplateList(many, opts);
    expect(r.templates).toHaveLength(1000);
    expect(r.problems).toContain("templates: only the first 1000 of 1500 are read");
  });
});
