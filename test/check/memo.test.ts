import { describe, expect, it } from "vitest";
import { memoByIdentity } from "../../generators/check/memo.js";

describe("memoByIdentity", () => {
  it("computes once per object, keeps equal-looking objects apart, and remembers undefined answers", () => {
    let calls = 0;
    const f = memoByIdentity((o: { n: number }) => {
      calls++;
      return o.n > 0 ? o.n * 2 : undefined;
    });
    const a = { n: 1 };
    const b = { n: 1 };
    const zero = { n: 0 };
    expect([f(a), f(a), f(b), f(zero), f(zero)]).toEqual([2, 2, 2, undefined, undefined]);
    expect(calls).toBe(3);
  });
});
