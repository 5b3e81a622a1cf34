/**
 * Run as a child process by writer.test.ts: writes `after()` over `before()` in the
 * directory given as argv[2], slowly (a pause after every step), printing each step,
 * so that the parent can SIGKILL it in the middle.
 */
import { writeTree } from "../../generators/layout/writer.js";
import { after, ROOTS } from "./trees.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: child.ts <dir>");
const pause = new Int32Array(new SharedArrayBuffer(4));
writeTree(dir, ROOTS, after(), {
  fault: (phase, k) => {
    process.stdout.write(`${phase} ${k}\n`);
    Atomics.wait(pause, 0, 0, 40);
  },
});
process.stdout.write("done\n");
