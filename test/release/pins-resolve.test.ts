/**
 * `npm run pins -- resolve` against a real registry: Debian's docker-registry (the CNCF
 * distribution server) on a localhost port, with images the test writes itself as OCI layouts
 * (tiny blobs: an empty tar layer) and pushes with skopeo, a multi-arch index among them. Auth is
 * exercised through a small front door in the test that answers like Docker Hub/GHCR (Bearer
 * challenge and token realm) or ECR (Basic), forwarding to the real registry.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, request as httpRequest } from "node:http";
import { type AddressInfo, createServer as netServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantSpec } from "../../generators/api/tenant.js";
import { challengeParams, locate, MANIFEST_ACCEPT, registryClient } from "../../generators/release/registry.js";
import { applyResolved, resolveAll, ResolveError, resolveTargets } from "../../generators/release/resolve.js";
import { LAUNCHER, REPO } from "../helpers/repo.js";
import { cli, makeTempRepo } from "../diff/temp-repo.js";
import { removeScratch } from "../helpers/repo.js";
import { readFileSync } from "node:fs";

const sha = (b: Buffer | string): string => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** Writes a blob into an OCI layout and returns its descriptor. */
function blob(layout: string, mediaType: string, bytes: Buffer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const digest = sha(bytes);
  writeFileSync(join(layout, "blobs", "sha256", digest.slice(7)), bytes);
  return { mediaType, digest, size: bytes.length, ...extra };
}

/** One image manifest for an architecture: an empty tar layer (two zero blocks, gzipped) and its config. */
function image(layout: string, arch: string, note: string): Record<string, unknown> {
  const tar = Buffer.alloc(1024);
  const layer = blob(layout, "application/vnd.oci.image.layer.v1.tar+gzip", gzipSync(tar));
  const config = blob(
    layout,
    "application/vnd.oci.image.config.v1+json",
    Buffer.from(
      JSON.stringify({ architecture: arch, os: "linux", config: { Labels: { note } }, rootfs: { type: "layers", diff_ids: [sha(tar)] } }),
    ),
  );
  const manifest = { schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config, layers: [layer] };
  return blob(layout, "application/vnd.oci.image.manifest.v1+json", Buffer.from(JSON.stringify(manifest)), {
    platform: { architecture: arch, os: "linux" },
  });
}

/** An OCI layout whose index.json names `top` as `ref`. */
function layout(dir: string, build: (l: string) => Record<string, unknown>, ref: string): string {
  mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const top = build(dir);
  const { platform: _platform, ...desc } = top;
  writeFileSync(
    join(dir, "index.json"),
    JSON.stringify({ schemaVersion: 2, manifests: [{ ...desc, annotations: { "org.opencontainers.image.ref.name": ref } }] }),
  );
  return String(top.digest);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = netServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** A front door: Bearer (token realm checks basic credentials) or Basic, forwarding to the registry. */
function frontDoor(mode: "bearer" | "basic", registryPort: number, userPass: string): Promise<Server> {
  const expectedBasic = `Basic ${Buffer.from(userPass).toString("base64")}`;
  const server = createServer((req, res) => {
    const self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url?.startsWith("/token")) {
      const url = new URL(req.url, self);
      const ok = req.headers.authorization === expectedBasic && url.searchParams.get("service") === "test-registry";
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      res.end(ok ? JSON.stringify({ token: `tok:${url.searchParams.get("scope")}` }) : "{}");
      return;
    }
    const repo = /^\/v2\/(.+)\/manifests\//.exec(req.url ?? "")?.[1] ?? "";
    const want = mode === "bearer" ? `Bearer tok:repository:${repo}:pull` : expectedBasic;
    if (req.headers.authorization !== want) {
      const challenge =
        mode === "bearer"
          ? `Bearer realm="${self}/token",service="test-registry",scope="repository:${repo}:pull"`
          : `Basic realm="test-registry"`;
      res.writeHead(401, { "www-authenticate": challenge });
      res.end();
      return;
    }
    const upstream = httpRequest(
      { host: "127.0.0.1", port: registryPort, path: req.url, method: req.method, headers: { accept: req.headers.accept ?? "" } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const tools = ["docker-registry", "skopeo"].filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);

describe("npm run pins -- resolve against a real registry", () => {
  let dir = "";
  let registry: ChildProcess | undefined;
  let port = 0;
  let host = "";
  let single = "";
  let multi = "";
  const doors: Server[] = [];

  beforeAll(async () => {
    if (tools.length > 0) throw new Error(`install ${tools.join(" and ")} (apt-get install -y docker-registry skopeo; .ci/run does)`);
    dir = mkdtempSync(join(tmpdir(), "pins-registry-"));
    port = await freePort();
    host = `127.0.0.1:${port}`;
    writeFileSync(
      join(dir, "config.yml"),
      [
        "version: 0.1",
        "log: { level: error }",
        `storage: { filesystem: { rootdirectory: ${join(dir, "data")} } }`,
        `http: { addr: "${host}" }`,
        "",
      ].join("\n"),
    );
    registry = spawn("docker-registry", ["serve", join(dir, "config.yml")], { stdio: "ignore" });
    await waitFor(`http://${host}/v2/`);
    writeFileSync(join(dir, "policy.json"), JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
    const push = (src: string, dest: string, all: boolean): void => {
      execFileSync(
        "skopeo",
        [
          "--policy",
          join(dir, "policy.json"),
          "copy",
          ...(all ? ["--all"] : []),
          "--dest-tls-verify=false",
          src,
          `docker://${host}/${dest}`,
        ],
        { stdio: "pipe" },
      );
    };
    single = layout(join(dir, "single"), (l) => image(l, "amd64", "api 1.0.0"), "1.0.0");
    push(`oci:${join(dir, "single")}:1.0.0`, "acme/api:1.0.0", false);
    multi = layout(
      join(dir, "multi"),
      (l) => {
        const manifests = [image(l, "amd64", "web"), image(l, "arm64", "web")];
        const index = { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests };
        return blob(l, "application/vnd.oci.image.index.v1+json", Buffer.from(JSON.stringify(index)));
      },
      "2.0.0",
    );
    push(`oci:${join(dir, "multi")}:2.0.0`, "acme/web:2.0.0", true);
  }, 120_000);

  afterAll(() => {
    registry?.kill();
    for (const d of doors) d.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("resolves a tag to the digest of the manifest the test pushed, from Docker-Content-Digest", async () => {
    expect(await registryClient().digest(`${host}/acme/api`, "1.0.0")).toBe(single);
  });

  it("keeps a multi-arch image as its index digest, not one platform's manifest", async () => {
    const digest = await registryClient().digest(`${host}/acme/web`, "2.0.0");
    expect(digest).toBe(multi);
    // The registry serves the index itself at that digest.
    const res = await fetch(`http://${host}/v2/acme/web/manifests/${digest}`, { headers: { accept: MANIFEST_ACCEPT.join(", ") } });
    expect(res.headers.get("content-type")).toBe("application/vnd.oci.image.index.v1+json");
    expect(((await res.json()) as { manifests: unknown[] }).manifests).toHaveLength(2);
  });

  it("writes every resolved pin, and nothing when one tag is missing, naming tenant/env/app and image", async () => {
    const tenant = (apps: { name: string; repository: string; tag: string }[]): TenantSpec =>
      ({
        name: "acme",
        description: "test",
        apps: apps.map((a) => ({ name: a.name, image: { repository: a.repository, tag: a.tag } })),
      }) as unknown as TenantSpec;
    const good = tenant([
      { name: "api", repository: `${host}/acme/api`, tag: "1.0.0" },
      { name: "web", repository: `${host}/acme/web`, tag: "2.0.0" },
    ]);
    const targets = resolveTargets([good], {}, { env: "prod" });
    const resolved = await resolveAll(targets, registryClient());
    expect(applyResolved({}, resolved)).toEqual({
      acme: { prod: { api: { tag: "1.0.0", digest: single }, web: { tag: "2.0.0", digest: multi } } },
    });

    const bad = tenant([
      { name: "api", repository: `${host}/acme/api`, tag: "1.0.0" },
      { name: "worker", repository: `${host}/acme/worker`, tag: "9.9.9" },
    ]);
    const pins = { acme: { prod: { api: { tag: "1.0.0" } } } };
    const attempt = resolveAll(resolveTargets([bad], pins, { env: "prod" }), registryClient());
    await expect(attempt).rejects.toThrow(ResolveError);
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `acme/prod/worker: ${host.replace(/\./g, "\\.")}/acme/worker:9\\.9\\.9: .*no such tag \\(HTTP 404\\)[\\s\\S]*nothing was written|nothing was written[\\s\\S]*acme/prod/worker`,
      ),
    );
    expect(pins).toEqual({ acme: { prod: { api: { tag: "1.0.0" } } } });
  });

  it("npm run pins -- resolve writes the digest into pins.json and regenerates; a missing tag writes nothing and exits 1", () => {
    const repo = makeTempRepo();
    try {
      // The committed uiota/offline-ai runs docker.io/uiota/offline-ai:1.0.0 in prod (tenant file); serve it locally.
      execFileSync(
        "skopeo",
        [
          "--policy",
          join(dir, "policy.json"),
          "copy",
          "--dest-tls-verify=false",
          `oci:${join(dir, "single")}:1.0.0`,
          `docker://${host}/uiota/offline-ai:1.0.0`,
        ],
        { stdio: "pipe" },
      );
      const pinsFile = join(repo, "generators/release/pins.json");
      const before = readFileSync(pinsFile, "utf8");
      const missing = cli(repo, "pins", ["resolve", "--tenant", "uiota", "--env", "prod", "--mirror", `docker.io=${host}`]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("could not be resolved; nothing was written");
      expect(missing.stderr).toMatch(/uiota\/prod\/mcp-server: docker\.io\/uiota\/mcp-server:1\.0\.0: .*no such tag \(HTTP 404\)/);
      expect(missing.stderr).not.toContain("uiota/prod/offline-ai:");
      expect(readFileSync(pinsFile, "utf8")).toBe(before);

      const ok = cli(repo, "pins", [
        "resolve",
        "--tenant",
        "uiota",
        "--env",
        "prod",
        "--app",
        "offline-ai",
        "--mirror",
        `docker.io=${host}`,
      ]);
      expect(ok.stderr).toBe("");
      expect(ok.code).toBe(0);
      expect(JSON.parse(readFileSync(pinsFile, "utf8")).uiota.prod["offline-ai"]).toEqual({ tag: "1.0.0", digest: single });
      expect(readFileSync(join(repo, "overlays/prod/uiota/kustomization.yaml"), "utf8")).toContain(`digest: ${single}`);
    } finally {
      removeScratch(repo);
    }
  });

  it("answers a Bearer challenge with a token from the realm, sending basic credentials there (Docker Hub, GHCR)", async () => {
    const door = await frontDoor("bearer", port, "robot:s3cret");
    doors.push(door);
    const front = `127.0.0.1:${(door.address() as AddressInfo).port}`;
    const creds = (r: string): string | undefined => (r === front ? "robot:s3cret" : undefined);
    expect(await registryClient({ credentials: creds }).digest(`${front}/acme/web`, "2.0.0")).toBe(multi);
    await expect(registryClient({ credentials: () => "robot:wrong" }).digest(`${front}/acme/web`, "2.0.0")).rejects.toThrow(
      /refused a pull token for acme\/web \(HTTP 401\)/,
    );
  });

  it("answers a Basic challenge with the environment's credentials (ECR's token, user AWS)", async () => {
    const door = await frontDoor("basic", port, "AWS:ecr-token");
    doors.push(door);
    const front = `127.0.0.1:${(door.address() as AddressInfo).port}`;
    const env = { [`PINS_AUTH_127_0_0_1_${(door.address() as AddressInfo).port}`]: "AWS:ecr-token" };
    const { envCredentials } = await import("../../generators/release/registry.js");
    expect(await registryClient({ credentials: envCredentials(env) }).digest(`${front}/acme/api`, "1.0.0")).toBe(single);
    await expect(registryClient({ credentials: () => undefined }).digest(`${front}/acme/api`, "1.0.0")).rejects.toThrow(
      /asks for basic credentials/,
    );
  });
});

describe("registry references and challenges", () => {
  it("locates images as the distribution reference does: docker.io and library/, hosts with ports", () => {
    expect(locate("docker.io/library/redis")).toEqual({ registry: "registry-1.docker.io", repository: "library/redis" });
    expect(locate("redis")).toEqual({ registry: "registry-1.docker.io", repository: "library/redis" });
    expect(locate("docker.io/uiota/offline-ai")).toEqual({ registry: "registry-1.docker.io", repository: "uiota/offline-ai" });
    expect(locate("ghcr.io/ossa/agent")).toEqual({ registry: "ghcr.io", repository: "ossa/agent" });
    expect(locate("localhost:5000/a/b")).toEqual({ registry: "localhost:5000", repository: "a/b" });
    expect(locate("123456789012.dkr.ecr.us-west-2.amazonaws.com/team/app")).toEqual({
      registry: "123456789012.dkr.ecr.us-west-2.amazonaws.com",
      repository: "team/app",
    });
  });

  it("parses Docker Hub's challenge (distribution docs/spec/auth/token.md example)", () => {
    expect(
      challengeParams(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      ),
    ).toEqual({
      scheme: "bearer",
      params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:samalba/my-app:pull,push" },
    });
  });

  it("documents itself: npm run pins -- resolve --help", () => {
    // What `npm run pins` runs (the bundled launcher), by this node without an npm process in between.
    const out = execFileSync(process.execPath, [...LAUNCHER, "pins", "resolve", "--help"], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect(out).toMatch(/^Usage: npm run pins -- resolve/);
    for (const word of ["Docker-Content-Digest", "index digest", "GHCR_TOKEN", "ECR_PASSWORD", "nothing is written", "tenant/env/app"])
      expect(out.toLowerCase()).toContain(word.toLowerCase());
  });
});
