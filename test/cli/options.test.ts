import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/io.js";
import { selectRules } from "../../src/cli/options.js";
import { allRules } from "../../src/checks/index.js";

const defaultsOn = allRules.filter((r) => r.meta.severity !== "off").map((r) => r.meta.code);

describe("selectRules", () => {
  it("keeps every rule's default severity when nothing is selected or ignored", () => {
    const s = selectRules([], []);
    expect([...s.reported]).toEqual(defaultsOn);
    for (const r of allRules) expect(s.severities[r.meta.code]).toBe(r.meta.severity);
  });

  it("turns every other rule off when some are selected", () => {
    const s = selectRules(["LG102", "missing-await"], []);
    expect([...s.reported].sort()).toEqual(["LG102", "LG201"]);
    expect(Object.entries(s.severities).filter(([, v]) => v !== "off").map(([k]) => k).sort()).toEqual(["LG102", "LG201"]);
    expect(s.severities["LG102"]).toBe("error");
  });

  it("selects an off-by-default rule at warning", () => {
    const s = selectRules(["async-without-await"], []);
    expect(s.severities["LG403"]).toBe("warning");
    expect([...s.reported]).toEqual(["LG403"]);
  });

  it("turns on, silently, the rules a selected rule builds on", () => {
    const s = selectRules(["LG106"], []);
    expect([...s.reported]).toEqual(["LG106"]);
    for (const code of ["LG101", "LG102", "LG103", "LG104", "LG105"]) expect(s.severities[code]).not.toBe("off");
    expect(s.severities["LG201"]).toBe("off");
  });

  it("ignores win over selects, named by alias too", () => {
    const s = selectRules(["ALL"], ["ASYNC251", "LG107"]);
    expect(s.reported.has("LG101")).toBe(false);
    expect(s.reported.has("LG107")).toBe(false);
    expect(s.reported.has("LG403")).toBe(true);
    expect(selectRules(["LG101", "LG102"], ["blocking-sleep"]).severities["LG101"]).toBe("off");
  });

  it("keeps a rule that is ignored but needed by a selected one running, unreported", () => {
    const s = selectRules([], ["LG101"]);
    expect(s.reported.has("LG101")).toBe(false);
    expect(s.severities["LG101"]).toBe("error");
  });

  it("rejects unknown identifiers with a usage error naming them and the flag", () => {
    expect(() => selectRules(["LG999"], [])).toThrow(UsageError);
    expect(() => selectRules([], ["sleepy"])).toThrow('unknown rule "sleepy" in --ignore');
  });
});
