import { describe, expect, it } from "vitest";
import { relativeUrl, servedHref, servedPathOf } from "../../src/web/doc-links.js";

describe("servedPathOf", () => {
  it("serves the guide and rule pages, nothing else", () => {
    expect(servedPathOf("guide.md")).toBe("/loopguard/guide");
    expect(servedPathOf("rules/blocking-sleep.md")).toBe("/loopguard/rules/blocking-sleep");
    expect(servedPathOf("rules/../../etc.md")).toBeNull();
    expect(servedPathOf("README.md")).toBeNull();
  });
});

describe("relativeUrl", () => {
  it("links between the pages relative to the page the link is on", () => {
    expect(relativeUrl("/loopguard/rules/busy-wait", "/loopguard/guide")).toBe("../guide");
    expect(relativeUrl("/loopguard/rules/busy-wait", "/loopguard/rules")).toBe("../rules");
    expect(relativeUrl("/loopguard/rules/busy-wait", "/loopguard/rules/dangling-task")).toBe("dangling-task");
    expect(relativeUrl("/loopguard/guide", "/loopguard/rules")).toBe("rules");
    expect(relativeUrl("/loopguard/rules", "/loopguard/rules/busy-wait")).toBe("rules/busy-wait");
  });
});

describe("servedHref", () => {
  it("turns links between docs/ files into links between the served pages, keeping the anchor", () => {
    expect(servedHref("../guide.md#pitfall-2-missing-await", "rules/missing-await.md")).toBe("../guide#pitfall-2-missing-await");
    expect(servedHref("rules/busy-wait.md", "guide.md")).toBe("rules/busy-wait");
    expect(servedHref("dangling-task.md#x", "rules/busy-wait.md")).toBe("dangling-task#x");
  });

  it("leaves URLs, absolute paths, fragments and files that are not served as written", () => {
    for (const href of ["https://docs.python.org/3/library/asyncio.html", "/elsewhere", "#core-principles", "../README.md", "mailto:a@b.c"]) {
      expect(servedHref(href, "rules/busy-wait.md")).toBe(href);
    }
  });
});
