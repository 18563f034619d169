/** What the audit keeps of a call's input: secrets never, wherever they sit. */
import { describe, expect, it } from "vitest";
import { redact } from "../../server/audit";

const SECRETS = ["s3cret-1", "s3cret-2", "tok-3", "s3cret-4", "s3cret-5", "s3cret-6", "s3cret-7", "s3cret-8", "s3cret-9", "s3cret-10"];

describe("audit redaction", () => {
  const input = {
    spec: {
      image: "postgres",
      name: "my-token-app",
      env: ["POSTGRES_PASSWORD=s3cret-1", "PLAIN=s3cret-2", "HOSTVAR"],
      labels: { "com.example.api-token": "tok-3", app: "web" },
    },
    command: "docker run --name my-token-app -e POSTGRES_PASSWORD=s3cret-4 -e 'API_KEY=s3cret-5' --label db.auth=\"s3cret-6\" --env=PLAIN=s3cret-9 -v key:/data postgres",
    changes: ["ENV DB_URL=postgres://u:s3cret-7@h/db", "ENV SECRET s3cret-8", 'CMD ["x"]'],
    environment: { FOO: "s3cret-10" },
  };
  const out = JSON.stringify(redact(input));

  it("keeps no secret value: env entries, secret-like labels and keys, ENV changes, assignments in a pasted command", () => {
    for (const secret of SECRETS) expect(out).not.toContain(secret);
  });

  it("keeps what is not secret: names, the image, other labels, mounts, env names", () => {
    for (const kept of ['"image":"postgres"', '"name":"my-token-app"', '"app":"web"', "POSTGRES_PASSWORD=[redacted]", "PLAIN=[redacted]", '"HOSTVAR"', "-v key:/data postgres", "ENV DB_URL=[redacted]", 'CMD [\\"x\\"]']) {
      expect(out).toContain(kept);
    }
  });

  it("keeps a stack's .env names but none of its values", () => {
    const out = redact({ name: "web", dotenv: "# a comment\nGREETING=hello\nDB_URL=postgres://u:p@db/x\n" }) as { dotenv: string };
    expect(out.dotenv).toBe("# a comment\nGREETING=[redacted]\nDB_URL=[redacted]\n");
  });

  it("scans hostile strings in linear time", () => {
    const hostile = ["key-".repeat(250_000), "a=".repeat(250_000), `${"password".repeat(100_000)}=`];
    for (const s of hostile) {
      const t0 = performance.now();
      redact({ s });
      expect(performance.now() - t0).toBeLessThan(1000);
    }
  });
});
