import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (s: string) => void (stdout += s) },
    stderr: { write: (s: string) => void (stderr += s) },
    cwd: process.cwd(),
    isTTY: false,
    env: {},
  };
  return main(args, io).then((code) => ({ code, stdout, stderr }));
}

describe("loopguard explain", () => {
  it("prints a rule's page by code, name or ruff alias", async () => {
    for (const id of ["LG101", "blocking-sleep", "ASYNC251", "lg101"]) {
      const r = await run(["explain", id]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("LG101 blocking-sleep");
      expect(r.stdout).toContain("Why is this bad?");
      expect(r.stdout).toContain("# noqa: LG101");
    }
  });

  it("refuses an unknown rule with one line and exit 2", async () => {
    const r = await run(["explain", "LG999"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('loopguard: unknown rule "LG999" (see loopguard rules)\n');
    expect(r.stdout).toBe("");
  });
});
