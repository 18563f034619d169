import { parse } from "shell-quote";
import { describe, expect, test } from "vitest";
import { formatBytes, formatDuration, parseBytes, parseDockerRun, parseDuration, shellQuote, toDockerRun, type RunSpec } from "../../runtime/run-spec";
import { dockerRunCaveats } from "../../runtime/run-spec/to-command";
import { cpusToNano } from "../../runtime/run-spec/units";
import { runCorpus } from "../run-corpus";

const extra = [
  "docker run -d --name web -p 8080:80 -p 127.0.0.1::53/udp -p [::1]:9000-9001:9000-9001 nginx",
  `docker run -e 'A=it'"'"'s' -e "B=\\$HOME" -e 'C=a\\b' -e D='x y' -e 'E=*' -e 'F=~x' -e G= busybox printf '%s\\n' "two words" '' '!bang'`,
  "docker run --entrypoint '' busybox sh",
  "docker run --init=false --health-cmd 'exit 0' --health-start-interval 2s --no-healthcheck=false busybox",
  "docker run --gpus '\"capabilities=compute,utility\",count=2,driver=nvidia' busybox",
  "docker run --mount 'type=bind,\"source=/tmp/a,b\",target=/ab,bind-nonrecursive' --mount type=volume,source=vv,target=/v,volume-opt=o=1,volume-label=k=v,volume-subpath=sub busybox",
  "docker run --network name=appnet,alias=web,ip=10.231.200.5 --mac-address 92:d0:c6:0a:29:33 busybox",
  "docker run -l only-key -l 'k=v with space' --sysctl kernel.shmmax=1 --log-opt tag={{.Name}} busybox",
  "docker run --platform linux/amd64 --pull always --cgroup-parent /berth --userns host --memory-swappiness 0 --cpu-period 100000 --cpu-quota 50000 busybox",
];

describe("parse → toDockerRun → parse gives the same spec", () => {
  test.each([...runCorpus.map((e) => e.command), ...extra])("%s", (command) => {
    const first = parseDockerRun(command);
    expect(first.errors).toEqual([]);
    for (const multiline of [false, true]) {
      const text = toDockerRun(first.spec, { multiline, subcommand: first.subcommand });
      const again = parseDockerRun(text);
      expect(again.errors, text).toEqual([]);
      expect(again.spec, text).toEqual(first.spec);
    }
  });
});

describe("toDockerRun", () => {
  const spec: RunSpec = {
    image: "nginx",
    name: "web",
    detach: true,
    restart: "unless-stopped",
    env: ["GREETING=hello world"],
    ports: [{ hostIp: "127.0.0.1", hostPort: 8080, containerPort: 80 }],
    volumes: [{ source: "html", target: "/usr/share/nginx/html", mode: "ro" }],
    healthcheck: { cmd: "curl -f http://localhost/ || exit 1", interval: "30s" },
  };

  test("one line, POSIX-quoted", () => {
    expect(toDockerRun(spec)).toBe(
      "docker run -d --name web -e 'GREETING=hello world' --restart unless-stopped -p 127.0.0.1:8080:80 -v html:/usr/share/nginx/html:ro " +
        "--health-cmd 'curl -f http://localhost/ || exit 1' --health-interval 30s nginx",
    );
  });

  test("one flag per line with continuations", () => {
    expect(toDockerRun(spec, { multiline: true })).toBe(
      [
        "docker run -d \\",
        "  --name web \\",
        "  -e 'GREETING=hello world' \\",
        "  --restart unless-stopped \\",
        "  -p 127.0.0.1:8080:80 \\",
        "  -v html:/usr/share/nginx/html:ro \\",
        "  --health-cmd 'curl -f http://localhost/ || exit 1' \\",
        "  --health-interval 30s \\",
        "  nginx",
      ].join("\n"),
    );
    expect(toDockerRun({ image: "busybox", command: ["echo", "hi"] }, { multiline: true })).toBe("docker run \\\n  busybox echo hi");
  });

  test("docker create has no -d", () => {
    expect(toDockerRun({ image: "busybox", detach: true, interactive: true }, { subcommand: "create" })).toBe("docker create -i busybox");
  });

  test("what a command cannot say exactly is listed", () => {
    const odd: RunSpec = { image: "busybox", entrypoint: ["/bin/sh", "-c"], command: ["echo hi"], healthcheck: { cmd: ["true"] } };
    expect(toDockerRun(odd)).toBe("docker run --health-cmd true --entrypoint /bin/sh busybox -c 'echo hi'");
    expect(dockerRunCaveats(odd)).toHaveLength(2);
    expect(dockerRunCaveats(spec)).toEqual([]);
  });

  test("shellQuote: any word survives a POSIX shell (checked with shell-quote's parser)", () => {
    const words = ["", "plain", "a b", "it's", 'say "hi"', "$HOME", "`x`", "a\\b", "!x", "*.log", "~/x", "x;y", "a\nb", "{}", "é ü", "--flag=v"];
    for (const w of words) expect(parse(shellQuote(w)), JSON.stringify(w)).toEqual([w]);
    expect(shellQuote("127.0.0.1:8080:80")).toBe("127.0.0.1:8080:80");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe("units, as the CLI reads them", () => {
  test("sizes (binary units)", () => {
    expect(parseBytes("512m")).toBe(536870912);
    expect(parseBytes("1.5g")).toBe(1610612736);
    expect(parseBytes("10kb")).toBe(10240);
    expect(parseBytes("1.5MiB")).toBe(1572864);
    expect(parseBytes("100")).toBe(100);
    expect(parseBytes("65536k")).toBe(67108864);
    expect(parseBytes("12x")).toBeUndefined();
    expect(parseBytes("-1")).toBeUndefined();
    expect(formatBytes(536870912)).toBe("512m");
    expect(formatBytes(1073741824)).toBe("1g");
    expect(formatBytes(1000)).toBe("1000");
  });

  test("durations (Go syntax) and CPUs", () => {
    expect(parseDuration("1m30s")).toBe(90e9);
    expect(parseDuration("500ms")).toBe(500e6);
    expect(parseDuration("1.5h")).toBe(5400e9);
    expect(parseDuration("30")).toBeUndefined();
    expect(formatDuration(90e9)).toBe("1m30s");
    expect(formatDuration(3600e9)).toBe("1h");
    expect(formatDuration(1.5e9)).toBe("1.5s");
    expect(formatDuration(250e6)).toBe("250ms");
    for (const d of ["30s", "1m30s", "1h2m3s", "1.5s", "500ms", "2us", "7ns"]) expect(parseDuration(formatDuration(parseDuration(d)!))).toBe(parseDuration(d));
    expect(cpusToNano(1.5)).toBe(1500000000);
    expect(cpusToNano("0.000000001")).toBe(1);
    expect(cpusToNano(0.1)).toBe(100000000);
    expect(cpusToNano("0.0000000001")).toBeUndefined();
  });
});
