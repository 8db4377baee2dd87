import { describe, expect, it } from "vitest";
import { DEFAULT_GUIDE_URL, defaultRulePage, guideBaseUrl, guideLink, rulePageUrl } from "../../src/comments/guide-links.js";

describe("guideBaseUrl", () => {
  it("takes the repository's guideUrl first, even when the App serves its pages", () => {
    expect(guideBaseUrl("https://wiki.example/async", { PUBLIC_URL: "https://app.example" })).toBe("https://wiki.example/async");
    expect(guideBaseUrl("https://wiki.example/async", {})).toBe("https://wiki.example/async");
  });

  it("then the served guide when PUBLIC_URL is set, without doubling a trailing slash", () => {
    expect(guideBaseUrl(null, { PUBLIC_URL: "https://app.example" })).toBe("https://app.example/loopguard/guide");
    expect(guideBaseUrl(null, { PUBLIC_URL: "https://app.example/bots/" })).toBe("https://app.example/bots/loopguard/guide");
  });

  it("then the guide on GitHub", () => {
    expect(guideBaseUrl(null, {})).toBe(DEFAULT_GUIDE_URL);
    expect(guideBaseUrl(null, { PUBLIC_URL: "" })).toBe(DEFAULT_GUIDE_URL);
    expect(guideBaseUrl(undefined, { PUBLIC_URL: " " })).toBe(DEFAULT_GUIDE_URL);
  });

  it("makes links that guideLink turns into section links", () => {
    expect(guideLink("pitfall-2-missing-await", guideBaseUrl(null, { PUBLIC_URL: "https://app.example" }))).toBe(
      "https://app.example/loopguard/guide#pitfall-2-missing-await",
    );
  });
});

describe("rulePageUrl", () => {
  it("is the served page when PUBLIC_URL is set, else the page on GitHub", () => {
    expect(rulePageUrl("busy-wait", { PUBLIC_URL: "https://app.example/" })).toBe("https://app.example/loopguard/rules/busy-wait");
    expect(rulePageUrl("busy-wait", {})).toBe(defaultRulePage("busy-wait"));
    expect(rulePageUrl("busy-wait", {})).toBe("https://github.com/loopguard/loopguard/blob/main/docs/rules/busy-wait.md");
  });
});
