/**
 * Quantity parsing against the cases of kubernetes/apimachinery
 * pkg/api/resource/quantity_test.go (TestQuantityParse: its table of valid inputs and
 * their values, and its list of invalid ones).
 */
import { describe, expect, it } from "vitest";
import { compareQuantities, parseQuantity, quantityProblem, quantityValue } from "../../generators/rules/quantity.js";
import { resourceProblems } from "../../generators/rules/resources.js";

const valid: [string, number][] = [
  ["0", 0],
  ["0n", 0],
  ["0u", 0],
  ["0m", 0],
  ["0Ki", 0],
  ["0k", 0],
  ["0Mi", 0],
  ["0M", 0],
  ["0Gi", 0],
  ["0G", 0],
  ["0Ti", 0],
  ["0T", 0],
  ["1", 1],
  ["1Ki", 1024],
  ["8Ki", 8 * 1024],
  ["7Mi", 7 * 2 ** 20],
  ["6Gi", 6 * 2 ** 30],
  ["5Ti", 5 * 2 ** 40],
  ["4Pi", 4 * 2 ** 50],
  ["3Ei", 3 * 2 ** 60],
  ["5n", 5e-9],
  ["4u", 4e-6],
  ["3m", 3e-3],
  ["9", 9],
  ["8k", 8e3],
  ["50k", 5e4],
  ["7M", 7e6],
  ["6G", 6e9],
  ["5T", 5e12],
  ["40T", 4e13],
  ["2P", 2e15],
  ["1E", 1e18],
  ["1E-3", 1e-3],
  ["1e3", 1e3],
  ["1E6", 1e6],
  ["1e9", 1e9],
  ["1E12", 1e12],
  ["1e15", 1e15],
  ["1E18", 1e18],
  ["100.035k", 100035],
  ["0.001", 0.001],
  ["0.0005k", 0.5],
  ["0.5", 0.5],
  ["0.5e-1", 0.05],
  ["10.035M", 10035000],
  ["1.2e3", 1200],
  ["1.3E+6", 1.3e6],
  ["9.01", 9.01],
  ["8.1k", 8100],
  ["2.5P", 2.5e15],
  ["100.035Ki", 102435.84],
  ["0.5Mi", 0.5 * 2 ** 20],
  ["0.05Gi", 0.05 * 2 ** 30],
  [".5", 0.5],
  ["1.", 1],
  ["-1", -1],
  ["+1Ki", 1024],
];

const invalid = ["", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 ", "1 Gi", "Mi", "1GB", "1gi"];

describe("Kubernetes quantities, with upstream's test cases", () => {
  it.each(valid)("parses %s as the API server does", (text, value) => {
    const q = parseQuantity(text);
    expect(q).toBeDefined();
    expect(quantityValue(text)).toBeCloseTo(value, 9);
  });

  it.each(invalid)("refuses %j", (text) => {
    expect(parseQuantity(text)).toBeUndefined();
    expect(quantityProblem(text)).toMatch(/not a Kubernetes quantity/);
  });

  it("compares exactly across suffixes and fractions", () => {
    const cmp = (a: string, b: string): number => {
      const x = parseQuantity(a);
      const y = parseQuantity(b);
      if (!x || !y) throw new Error("unparsable");
      return compareQuantities(x, y);
    };
    expect(cmp("1Gi", "1024Mi")).toBe(0);
    expect(cmp("1G", "1Gi")).toBe(-1);
    expect(cmp("500m", "0.5")).toBe(0);
    expect(cmp("1e3", "1k")).toBe(0);
    expect(cmp("0.1", "100m")).toBe(0);
    expect(cmp("2", "1999m")).toBe(1);
  });

  it("refuses a fraction of a byte and negative amounts", () => {
    expect(quantityProblem("1.5", "memory")).toMatch(/fraction of a byte/);
    expect(quantityProblem("500m", "memory")).toMatch(/fraction of a byte/);
    expect(quantityProblem("0.5Ki", "memory")).toBeUndefined(); // 512 bytes
    expect(quantityProblem("500m", "cpu")).toBeUndefined();
    expect(quantityProblem("-1", "cpu")).toMatch(/greater than or equal to 0/);
  });

  it("requires every request to be at most its limit, as ValidateResourceRequirements does", () => {
    expect(resourceProblems({ cpu: "500m", memory: "1Gi" }, { memory: "1Gi" })).toEqual([]);
    expect(
      resourceProblems({ cpu: "2", memory: "1Gi" }, { cpu: "1", memory: "512Mi" }).map((p) => [p.field, p.message.slice(0, 48)]),
    ).toEqual([
      ["requests.cpu", "must be less than or equal to cpu limit of 1; ra"],
      ["requests.memory", "must be less than or equal to memory limit of 51"],
    ]);
  });
});
