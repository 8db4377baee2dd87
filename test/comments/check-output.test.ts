import { describe, expect, it } from "vitest";
import {
  CHECK_TEXT_LIMIT,
  checkTitle,
  conclusionFor,
  cutToBytes,
  renderCheckOutput,
  renderConfigErrors,
  renderRunFailure,
  type CheckReport,
} from "../../src/comments/check-output.js";
import { parseConfig } from "../../src/config.js";
import type { Finding } from "../../src/analyzer/types.js";
import { needsImportFinding, sampleFindings } from "../github/sample.js";

function report(fresh: Finding[], extra: Partial<CheckReport> = {}): CheckReport {
  return { fresh, preexisting: 0, reviewed: 2, skipped: [], notListed: 0, failOn: "error", version: "1.2.3", ...extra };
}

describe("check title and conclusion", () => {
  it("counts new findings by severity and the files they are in", () => {
    const all = [...sampleFindings(), needsImportFinding()];
    expect(checkTitle(all)).toBe("3 errors, 2 warnings in 2 files");
    expect(checkTitle(all.slice(2, 3))).toBe("1 warning in 1 file");
    expect(checkTitle([{ ...all[0]!, severity: "info" }])).toBe("1 notice in 1 file");
    expect(checkTitle([])).toBe("No async issues found");
  });

  it("fails when a new finding reaches failOn, is neutral below it, succeeds with none", () => {
    const warnings = sampleFindings().filter((f) => f.severity === "warning");
    expect(conclusionFor(sampleFindings(), "error")).toBe("failure");
    expect(conclusionFor(warnings, "error")).toBe("neutral");
    expect(conclusionFor(warnings, "warning")).toBe("failure");
    expect(conclusionFor(warnings, "info")).toBe("failure");
    expect(conclusionFor(sampleFindings(), "never")).toBe("neutral");
    expect(conclusionFor([], "info")).toBe("success");
  });
});

describe("annotations", () => {
  it("maps severities to GitHub's levels and gives columns only on one line", () => {
    const out = renderCheckOutput(report(sampleFindings()));
    expect(out.annotations.map((a) => [a.annotation_level, a.start_line, a.end_line, a.start_column, a.end_column])).toEqual([
      ["failure", 8, 8, 5, 19],
      ["failure", 9, 12, undefined, undefined],
      ["warning", 16, 16, 5, 53],
      ["warning", 17, 17, 12, 35],
    ]);
    expect(out.annotations[0]!.title).toBe("LG101 blocking-sleep");
    expect(out.annotations[2]!.message).toContain("#pattern-2-fire-and-forget-with-create_task");
  });
});

describe("summary snapshots", () => {
  it("findings, pre-existing count, skipped and unlisted files", () => {
    const out = renderCheckOutput(
      report([...sampleFindings(), needsImportFinding()], {
        preexisting: 2,
        reviewed: 4,
        skipped: [
          { path: "data/blob.py", reason: "binary file (contains NUL bytes)" },
          { path: "legacy/latin1.py", reason: "not valid UTF-8" },
        ],
        notListed: 120,
        notes: ["No review comments: a newer commit was pushed while this one was analysed."],
      }),
    );
    expect(out.title).toBe("3 errors, 2 warnings in 2 files");
    expect(out.conclusion).toBe("failure");
    expect(out.summary).toMatchSnapshot();
  });

  it("warnings only under failOn: error", () => {
    const out = renderCheckOutput(report(sampleFindings().filter((f) => f.severity === "warning"), { preexisting: 1 }));
    expect(out.conclusion).toBe("neutral");
    expect(out.summary).toMatchSnapshot();
  });

  it("a clean change", () => {
    const out = renderCheckOutput(report([], { reviewed: 1 }));
    expect(out).toEqual({
      conclusion: "success",
      title: "No async issues found",
      summary: "loopguard found no new async issues in 1 changed Python file.\n\n<sub>loopguard 1.2.3</sub>",
      annotations: [],
    });
  });

  it("an invalid configuration names each bad key", () => {
    const parsed = parseConfig("failOn: sometimes\nrules:\n  LG999: off\n");
    if (parsed.ok) throw new Error("expected errors");
    const out = renderConfigErrors(parsed.errors, ".github/loopguard.yml", "1.2.3");
    expect(out.conclusion).toBe("failure");
    expect(out.title).toBe("Invalid configuration: 2 errors in .github/loopguard.yml");
    expect(out.summary).toMatchSnapshot();
  });

  it("a run that could not finish", () => {
    const out = renderRunFailure("GitHub answered 500 to POST /graphql: Internal Server Error", "failure", "1.2.3");
    expect(out.title).toBe("loopguard could not finish the review");
    expect(out.summary).toMatchSnapshot();
  });
});

describe("cutToBytes", () => {
  it("leaves short text alone", () => {
    expect(cutToBytes("abc", 10)).toBe("abc");
  });

  it("cuts by UTF-8 bytes at a line end and says so", () => {
    const line = "- `é.py`: 🙂 not valid UTF-8\n";
    const text = line.repeat(5000);
    const out = cutToBytes(text, CHECK_TEXT_LIMIT);
    expect(Buffer.byteLength(out, "utf8")).toBeLessThanOrEqual(CHECK_TEXT_LIMIT);
    expect(out.length).toBeGreaterThan(CHECK_TEXT_LIMIT / 2 / 2);
    expect(out).toContain("cut here");
    expect(out.split("\n\n… (cut")[0]!.endsWith("UTF-8")).toBe(true);
  });

  it("never splits a surrogate pair when there is no line end", () => {
    const out = cutToBytes("🙂".repeat(100), 50, "…");
    expect(Buffer.byteLength(out, "utf8")).toBeLessThanOrEqual(50);
    expect(out).toBe(`${"🙂".repeat(11)}…`);
  });

  it("keeps a huge summary (thousands of skipped files) under GitHub's limit", () => {
    const skipped = Array.from({ length: 3000 }, (_, i) => ({ path: `pkg/module_${i}/generated_file.py`, reason: "larger than 2 MB (3000000 bytes)" }));
    const out = renderCheckOutput(report([], { skipped }));
    expect(Buffer.byteLength(out.summary, "utf8")).toBeLessThanOrEqual(CHECK_TEXT_LIMIT);
    expect(out.summary).toContain("cut here");
  });
});
