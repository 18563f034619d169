/**
 * Every way a compose file can be wrong gets an error naming its line and key,
 * and hostile files (alias bombs, deep nesting, huge service counts, NULs,
 * `__proto__` names) are refused quickly without touching any prototype.
 */
import { describe, expect, it } from "vitest";
import { loadProject } from "../../runtime/compose/load";
import type { LoadInput } from "../../runtime/compose/model";

const dir = "/srv/berth/stacks/demo";
function errors(file: string, more: Partial<LoadInput> = {}): string[] {
  const r = loadProject({ name: "demo", file, workingDir: dir, ...more });
  if (r.ok) throw new Error("the file was accepted");
  return r.errors.map((e) => e.message);
}

describe("errors name their line and key", () => {
  it("invalid YAML, with its line and column", () => {
    expect(errors("services:\n  web:\n    image: nginx\n   bad: [\n")[0]).toMatch(/^line 4, column 1: /);
    expect(errors('services:\n  web:\n    image: "nginx\n')[0]).toBe('line 4, column 1: Missing closing "quote');
  });

  it("a duplicate key, naming it", () => {
    expect(errors("services:\n  web:\n    image: nginx\n    image: redis\n")).toEqual([`line 4, column 5: duplicate key "image": a key may be given only once in a map`]);
  });

  it("an unknown key (the schema's additionalProperties)", () => {
    expect(errors("services:\n  web:\n    image: nginx\n    volumez: []\n")).toEqual([`line 4, services.web.volumez: unknown key "volumez"`]);
    expect(errors("servics:\n  web: {}\n")).toEqual([`line 1, servics: unknown key "servics"`]);
  });

  it("schema type errors, in words", () => {
    expect(errors("services:\n  web:\n    image: nginx\n    ports:\n      - [80]\n")).toEqual([`line 5, services.web.ports[0]: must be a number, a string or a map`]);
    expect(errors("services:\n  web:\n    image: nginx\n    privileged: maybe\n")).toEqual([`line 4, services.web.privileged: must be true or false`]);
    expect(errors("services:\n  web:\n    image: nginx\n    depends_on: {db: {condition: started}}\n  db: {image: redis}\n")).toEqual([
      `line 4, services.web.depends_on.db.condition: must be one of service_started, service_healthy or service_completed_successfully`,
    ]);
  });

  it("a missing required variable names the compose line and key", () => {
    expect(errors("services:\n  web:\n    image: nginx\n    environment:\n      DB: ${DB_PASSWORD:?set a password}\n")).toEqual([
      "line 5, services.web.environment.DB: variable DB_PASSWORD is required: set a password",
    ]);
  });

  it("an unsupported key the schema allows is refused, never ignored", () => {
    expect(errors("services:\n  web:\n    image: nginx\n    blkio_config: {weight: 10}\n")).toEqual([`line 4, services.web.blkio_config: Berth does not support "blkio_config" yet`]);
    expect(errors("services:\n  web:\n    image: nginx\n    deploy: {placement: {constraints: []}}\n")).toEqual([`line 4, services.web.deploy.placement: Berth does not support "placement" yet`]);
    expect(errors("services:\n  web:\n    image: nginx\nsecrets:\n  s: {external: true}\n")[0]).toContain("line 5, secrets.s.external: Berth does not support");
  });

  it("env_file, secrets and build contexts outside the stack folder are refused naming the key", () => {
    expect(errors("services:\n  web:\n    image: nginx\n    env_file: ../../../etc/passwd\n")).toEqual([
      `line 4, services.web.env_file: "../../../etc/passwd" is outside the stack folder: only files of the stack folder can be used`,
    ]);
    expect(errors("services:\n  web:\n    image: nginx\n    env_file: [ok.env, /etc/shadow]\n", { readFile: () => "" })).toEqual([
      `line 4, services.web.env_file[1]: "/etc/shadow" is outside the stack folder: only files of the stack folder can be used`,
    ]);
    expect(errors("services:\n  web:\n    image: nginx\nsecrets:\n  s: {file: ../x}\n")[0]).toMatch(/^line 5, secrets\.s\.file: "\.\.\/x" is outside/);
    expect(errors("services:\n  web:\n    build: ..\n")[0]).toMatch(/^line 3, services\.web\.build: "\.\." is outside/);
  });

  it("an env_file that cannot be read, or has a bad line", () => {
    expect(errors("services:\n  web:\n    image: nginx\n    env_file: app.env\n")).toEqual([`line 4, services.web.env_file: cannot read the env file "app.env"`]);
    expect(errors("services:\n  web:\n    image: nginx\n    env_file: app.env\n", { readFile: () => "A=1\nnot a line\n" })).toEqual([
      `line 4, services.web.env_file: app.env, line 2: expected KEY=value, found "not a line"`,
    ]);
  });

  it("a bad .env line names the .env line", () => {
    const r = loadProject({ name: "demo", file: "services:\n  web: {image: nginx}\n", env: "# ok\nA=1\n=2\n", workingDir: dir });
    expect(r.ok ? [] : r.errors).toEqual([{ kind: "variable", path: ".env", message: `.env, line 3: expected KEY=value, found "=2"` }]);
  });

  it("RunSpec refusals are said at the compose key", () => {
    expect(errors("services:\n  web:\n    image: nginx\n    mem_limit: 12x\n    ports: ['80:99999']\n")).toEqual([
      `line 4, services.web.mem_limit: invalid size "12x": use bytes or a number with a unit b, k, m, g (e.g. 512m)`,
      "line 5, services.web.ports[0]: containerPort: must be between 1 and 65535",
    ]);
    expect(errors("services:\n  web:\n    image: nginx\n    ulimits: {nofile: 10, nofiles: 5}\n")).toEqual([
      "line 4, services.web.ulimits.nofiles: name: must be one of core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack",
    ]);
    expect(errors("services:\n  web:\n    image: nginx\n    network_mode: container:db\n    ports: ['80']\n")).toEqual([
      "line 5, services.web.ports: cannot be set when sharing another container's network (container:db)",
    ]);
    expect(errors("services:\n  web:\n    image: NGINX\n")[0]).toMatch(/^line 3, services\.web\.image: /);
  });

  it("depends_on an unknown service, and a dependency cycle", () => {
    expect(errors("services:\n  web:\n    image: nginx\n    depends_on: [db]\n")).toEqual([`line 4, services.web.depends_on: depends on "db", which is not a service of this file`]);
    expect(errors("services:\n  a: {image: nginx, depends_on: [b]}\n  b: {image: nginx, depends_on: {c: {condition: service_started}}}\n  c: {image: nginx, depends_on: [a]}\n")).toEqual([
      "line 2, services.a.depends_on: dependency cycle: a → b → c → a",
    ]);
  });

  it("container_name with replicas, one host port twice, a static IP outside its subnet or without one", () => {
    expect(errors("services:\n  web:\n    image: nginx\n    container_name: w\n    scale: 2\n")).toEqual([
      "line 4, services.web.container_name: a container name can be used by one replica only, and 2 are asked",
    ]);
    expect(errors("services:\n  a: {image: nginx, ports: ['8080:80']}\n  b:\n    image: nginx\n    ports: ['127.0.0.1:8079-8081:80-82']\n")).toEqual([
      `line 5, services.b.ports[0]: host port 8080 is already published by the service "a"`,
    ]);
    expect(errors("services:\n  a: {image: nginx, container_name: one}\n  b: {image: nginx, container_name: one}\n  c: {image: nginx, container_name: 'x y'}\n")).toEqual([
      `line 3, services.b.container_name: the service "a" already uses the container name "one"`,
      "line 4, services.c.container_name: Docker refuses this name: use at least two characters from [a-zA-Z0-9_.-], starting with a letter or digit",
    ]);
    // Another protocol or another host address is another port.
    expect(loadProject({ name: "demo", workingDir: dir, file: "services:\n  a: {image: nginx, ports: ['127.0.0.1:8080:80', '8080:80/udp']}\n  b: {image: nginx, ports: ['127.0.0.2:8080:80']}\n" }).ok).toBe(true);
    expect(errors("services:\n  a: {image: nginx, ports: ['127.0.0.1:8080:80']}\n  b: {image: nginx, ports: ['0.0.0.0:8080:80']}\n")[0]).toContain("host port 8080 is already published");
    expect(
      errors("services:\n  web:\n    image: nginx\n    networks:\n      back: {ipv4_address: 10.231.41.5}\nnetworks:\n  back: {ipam: {config: [{subnet: 10.231.40.0/24}]}}\n"),
    ).toEqual([`line 5, services.web.networks.back.ipv4_address: 10.231.41.5 is outside the subnet of the network "back" (10.231.40.0/24)`]);
    expect(errors("services:\n  web:\n    image: nginx\n    networks:\n      back: {ipv4_address: 10.231.41.5}\nnetworks:\n  back: {}\n")[0]).toMatch(/^line 5, .*has no subnet/);
  });

  it("names a network or a volume the file does not declare", () => {
    expect(errors("services:\n  web:\n    image: nginx\n    networks: [back]\n")).toEqual([`line 4, services.web.networks[0]: the network "back" is not declared in the top-level networks`]);
    expect(errors("services:\n  web:\n    image: nginx\n    volumes: ['data:/data']\n")[0]).toMatch(/^line 4, services\.web\.volumes\[0\]: the named volume "data"/);
  });
});

describe("hostile files", () => {
  it("an alias bomb is refused quickly", () => {
    const levels = ["x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 9; i++) levels.push(`x-${i}: &l${i} [${Array(9).fill(i === 1 ? "*a" : `*l${i - 1}`).join(", ")}]`);
    const start = Date.now();
    expect(errors(`${levels.join("\n")}\nservices:\n  web: {image: nginx}\n`)[0]).toContain("expands to more than");
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it("deep nesting is refused with its line, as is nesting too deep for the parser", () => {
    expect(errors(`services:\n  web:\n    image: nginx\n    x-deep: ${"[".repeat(60)}${"]".repeat(60)}\n`)[0]).toMatch(/^line 4: values nest more than 48 levels deep/);
    expect(errors(`services:\n  web:\n    image: nginx\n    x-deep: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`)[0]).toMatch(/nest too deeply/);
  });

  it("more than 200 services", () => {
    const many = Array.from({ length: 201 }, (_, i) => `  s${i}: {image: nginx}`).join("\n");
    expect(errors(`services:\n${many}\n`)).toEqual(["line 1, services: a stack can have at most 200 services"]);
  });

  it("NUL bytes in the file", () => {
    expect(errors("services:\n  web:\n    image: ngi\0nx\n")).toEqual(["line 3: the file contains a NUL character"]);
    expect(errors('services:\n  web:\n    image: nginx\n    environment: {A: "x\\0y"}\n')).toEqual(["line 4, services.web.environment.A: the value contains a NUL character"]);
  });

  it("__proto__ and constructor as names: refused cleanly or kept as plain names, never the prototype", () => {
    expect(errors("services:\n  __proto__:\n    image: nginx\n")[0]).toMatch(/^line 2, services\.__proto__: "__proto__" is not a valid service name/);
    expect(errors("services:\n  web:\n    image: nginx\n    labels: {__proto__: x}\n")).toEqual([`line 4, services.web.labels.__proto__: "__proto__" cannot be used as a name here`]);
    const r = loadProject({
      name: "demo",
      workingDir: dir,
      file: "services:\n  constructor:\n    image: nginx\n    labels: {constructor: y, toString: z}\n    environment: {__proto__: 1, constructor: 2}\nvolumes:\n  constructor: {}\n",
    });
    if (!r.ok) throw new Error(r.errors[0].message);
    expect(r.project.services[0].name).toBe("constructor");
    expect(r.project.services[0].spec.labels).toEqual({ constructor: "y", toString: "z" });
    expect(r.project.services[0].spec.env).toEqual(["__proto__=1", "constructor=2"]);
    expect(r.project.volumes.constructor).toEqual({ key: "constructor", name: "demo_constructor", external: false });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.project.services[0].spec.labels)).toBe(Object.prototype);
  });

  it("a file over 512 KB", () => {
    expect(errors(`services:\n  web: {image: nginx}\n# ${"x".repeat(512 * 1024)}\n`)).toEqual(["the file is larger than 512 KB"]);
  });
});
