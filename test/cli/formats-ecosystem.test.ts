import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv-draft-04";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (s: string) => void (stdout += s) },
    stderr: { write: (s: string) => void (stderr += s) },
    cwd: process.cwd(),
    isTTY: false,
    env: {},
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));

describe("scan --format sarif and github", () => {
  it("SARIF output of a scan is valid SARIF 2.1.0 and lists the findings", async () => {
    const r = await run(["scan", "test/fixtures/python", "--format", "sarif"]);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    const validate = new Ajv.default({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false }).compile(schema);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0].results.length).toBeGreaterThan(0);
    expect(log.runs[0].results.every((x: { ruleId: string }) => /^LG\d{3}$/.test(x.ruleId))).toBe(true);
  });

  it("github format prints one workflow command per finding", async () => {
    const r = await run(["scan", "test/fixtures/python", "--select", "LG101", "--format", "github"]);
    const lines = r.stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^::error file=test\/fixtures\/python\/[^,]+\.py,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=LG101 blocking-sleep::/);
  });
});
