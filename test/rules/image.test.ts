/** Image references with the grammar of github.com/distribution/reference (its reference_test.go cases where they apply). */
import { describe, expect, it } from "vitest";
import { digestProblem, imageProblem, pinnedByDigest, repositoryProblem, splitImage, tagProblem } from "../../generators/rules/image.js";

const D = `sha256:${"a".repeat(64)}`;

describe("image references", () => {
  it.each([
    "test_com",
    "test.com:tag",
    "test.com:5000",
    "test.com/repo:tag",
    "test:5000/repo",
    "test:5000/repo:tag",
    `test:5000/repo@${D}`,
    `test:5000/repo:tag@${D}`,
    "lowercase:Uppercase",
    "foo_bar.com:8080",
    "foo/foo_bar.com:8080",
    "192.168.1.1",
    "192.168.1.1:tag",
    "192.168.1.1:5000",
    "192.168.1.1/repo",
    "192.168.1.1:5000/repo",
    "[2001:db8::1]:5000/repo",
    "a/a/a/a/a/a/b/b/b/b",
    "ghcr.io/uiota/offline-ai:1.4.2",
    "ollama/ollama:0.5.4",
  ])("accepts %s", (ref) => {
    expect(imageProblem(ref)).toBeUndefined();
  });

  it.each([
    "",
    " repo",
    "Uppercase:tag",
    "test:5000/Uppercase/lowercase:tag",
    "aa/asdf$$^/aa",
    "repo@sha256:ffffffffffffffffffffffffffffffffff",
    `repo:-tag`,
    "a//b",
    "-repo/a",
  ])("refuses %j", (ref) => {
    expect(imageProblem(ref)).toBeDefined();
  });

  it("splits repository, tag and digest, keeping a registry port", () => {
    expect(splitImage(`reg:5000/a/b:1.2@${D}`)).toEqual({ repository: "reg:5000/a/b", tag: "1.2", digest: D });
    expect(splitImage("reg:5000/a/b")).toEqual({ repository: "reg:5000/a/b", tag: undefined, digest: undefined });
  });

  it("wants repositories without tag or digest, immutable tags and sha256 digests", () => {
    expect(repositoryProblem("ghcr.io/a/b")).toBeUndefined();
    expect(repositoryProblem("ghcr.io/a/b:1.0")).toMatch(/without tag/);
    expect(repositoryProblem("reg:5000/a/b")).toBeUndefined();
    expect(tagProblem("latest")).toBeDefined();
    expect(tagProblem("1.4.2")).toBeUndefined();
    expect(digestProblem(D)).toBeUndefined();
    expect(digestProblem(D.toUpperCase())).toBeDefined();
    expect(pinnedByDigest(`a/b:1@${D}`)).toBe(true);
    expect(pinnedByDigest("a/b@sha256:abc")).toBe(false);
  });
});
