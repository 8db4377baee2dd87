import { describe, expect, it } from "vitest";
import {
  configJsonSchema,
  defaultConfig,
  isReviewedPath,
  parseConfig,
  severitiesForPath,
  severitiesFromConfig,
  type LoopguardConfig,
} from "../src/config.js";

function ok(input: string | unknown): LoopguardConfig {
  const r = parseConfig(input);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("\n"));
  return r.config;
}

describe("parseConfig: valid files", () => {
  it("gives the defaults for no file, an empty file and an empty map", () => {
    const defaults = defaultConfig();
    expect(defaults).toEqual({
      rules: {},
      include: ["**"],
      exclude: [],
      failOn: "error",
      comments: true,
      commentOn: "warning",
      maxComments: 25,
      guideUrl: null,
      blockingCalls: [],
      overrides: [],
    });
    expect(ok(null)).toEqual(defaults);
    expect(ok(undefined)).toEqual(defaults);
    expect(ok("")).toEqual(defaults);
    expect(ok("# only a comment\n")).toEqual(defaults);
    expect(ok({})).toEqual(defaults);
  });

  it("accepts codes, names and ruff/flake8-async aliases under rules, normalised to codes", () => {
    const c = ok("rules:\n  LG102: warning\n  blocking-subprocess: off\n  ASYNC251: info\n  lg203: error\n");
    expect(c.rules).toEqual({ LG102: "warning", LG103: "off", LG101: "info", LG203: "error" });
    expect(severitiesFromConfig(c)).toEqual(c.rules);
  });

  it("reads every key, from text and from an object (what Probot's context.config returns)", () => {
    const text = [
      "include: ['src/**']",
      "exclude: src/generated/**",
      "failOn: warning",
      "comments: false",
      "commentOn: info",
      "maxComments: 0",
      "guideUrl: https://docs.example.com/async.html",
      "blockingCalls: [{ pattern: boto3.client, advice: use aioboto3 }]",
      "overrides:",
      "  - files: ['tests/**']",
      "    rules: { blocking-sleep: off }",
    ].join("\n");
    const expected: LoopguardConfig = {
      rules: {},
      include: ["src/**"],
      exclude: ["src/generated/**"],
      failOn: "warning",
      comments: false,
      commentOn: "info",
      maxComments: 0,
      guideUrl: "https://docs.example.com/async.html",
      blockingCalls: [{ pattern: "boto3.client", advice: "use aioboto3" }],
      overrides: [{ files: ["tests/**"], rules: { LG101: "off" } }],
    };
    expect(ok(text)).toEqual(expected);
    expect(ok({ ...expected, overrides: [{ files: ["tests/**"], rules: { "blocking-sleep": "off" } }] })).toEqual(expected);
  });

  it("leaves `_extends` to Probot (the CLI cannot follow it, and does not call it an error)", () => {
    expect(ok("_extends: my-org/.github\nfailOn: warning\n").failOn).toBe("warning");
  });

  it("reads blockingCalls as entries or plain patterns, advice defaulting to empty", () => {
    const c = ok("blockingCalls:\n  - pattern: boto3.client\n    advice: use aioboto3\n  - mycompany.db.*\n  - pattern: ' legacy.get_* '\n");
    expect(c.blockingCalls).toEqual([
      { pattern: "boto3.client", advice: "use aioboto3" },
      { pattern: "mycompany.db.*", advice: "" },
      { pattern: "legacy.get_*", advice: "" },
    ]);
  });

  it("lets the same rule be named twice with the same severity", () => {
    expect(ok({ rules: { LG101: "off", "blocking-sleep": "off" } }).rules).toEqual({ LG101: "off" });
  });
});

describe("parseConfig: invalid files name the key, the value and what is allowed", () => {
  const cases: { name: string; input: string; errors: string[] }[] = [
    {
      name: "unknown key, with a suggestion",
      input: "failon: warning\n",
      errors: [
        "line 1: `failon` is not a loopguard setting (did you mean `failOn`?); allowed: one of `rules`, `include`, `exclude`, `failOn`, `comments`, `commentOn`, `maxComments`, `guideUrl`, `blockingCalls`, `overrides`.",
      ],
    },
    {
      name: "blockingCalls entry without a pattern, with an unknown key",
      input: "blockingCalls:\n  - advise: use aioboto3\n",
      errors: [
        "line 2: `blockingCalls[0].advise` is not a loopguard setting (did you mean `advice`?); allowed: `pattern` and `advice`.",
        "line 2: `blockingCalls[0].pattern` is missing; allowed: a dotted name such as `boto3.client` or `mycompany.db.*`.",
      ],
    },
    {
      name: "blockingCalls pattern that is not a dotted name",
      input: "blockingCalls:\n  - pattern: boto3.client()\n  - 'db..get'\n",
      errors: [
        'line 2: `blockingCalls[0].pattern` is "boto3.client()"; allowed: a dotted name such as `boto3.client` or `mycompany.db.*`.',
        'line 3: `blockingCalls[1]` is "db..get"; allowed: a dotted name such as `boto3.client` or `mycompany.db.*`.',
      ],
    },
    {
      name: "blockingCalls is a map",
      input: "blockingCalls:\n  boto3.client: use aioboto3\n",
      errors: [
        'line 2: `blockingCalls` is {"boto3.client":"use aioboto3"}; allowed: a list of `{pattern: dotted.name, advice: text}` entries (or plain patterns); a pattern segment may hold `*`, and a final `.*` matches everything under it.',
      ],
    },
    {
      name: "unknown rule",
      input: "rules:\n  LG101: off\n  blocking-slep: off\n",
      errors: [
        "line 3: `rules.blocking-slep` is not a loopguard rule (did you mean `blocking-sleep`?); allowed: a rule code, name or alias that `loopguard rules` lists.",
      ],
    },
    {
      name: "bad severity",
      input: "rules:\n  LG101: fatal\n",
      errors: ['line 2: `rules.LG101` is "fatal"; allowed: one of `off`, `info`, `warning`, `error`.'],
    },
    {
      name: "YAML 1.1 boolean spelled as a severity",
      input: "rules:\n  LG101: false\n",
      errors: ["line 2: `rules.LG101` is false; allowed: one of `off`, `info`, `warning`, `error`."],
    },
    {
      name: "two names for one rule with different severities",
      input: "rules:\n  LG101: off\n  ASYNC251: error\n",
      errors: [
        "line 3: `rules.ASYNC251` names LG101 again (already set by `LG101`); allowed: one setting per rule.",
      ],
    },
    {
      name: "rules is a list",
      input: "rules: [LG101]\n",
      errors: [
        'line 1: `rules` is ["LG101"]; allowed: a map from a rule code (`LG101`), name (`blocking-sleep`) or ruff/flake8-async alias (`ASYNC251`) to one of `off`, `info`, `warning`, `error`.',
      ],
    },
    {
      name: "bad failOn",
      input: "failOn: warnings\n",
      errors: ['line 1: `failOn` is "warnings"; allowed: one of `error`, `warning`, `info`, `never`.'],
    },
    {
      name: "commentOn cannot be never",
      input: "commentOn: never\n",
      errors: ['line 1: `commentOn` is "never"; allowed: one of `info`, `warning`, `error`.'],
    },
    {
      name: "comments as a string",
      input: "comments: 'yes'\n",
      errors: ['line 1: `comments` is "yes"; allowed: `true` or `false`.'],
    },
    {
      name: "maxComments out of range",
      input: "maxComments: 500\n",
      errors: ["line 1: `maxComments` is 500; allowed: a whole number from 0 to 100."],
    },
    {
      name: "maxComments not whole",
      input: "maxComments: 2.5\n",
      errors: ["line 1: `maxComments` is 2.5; allowed: a whole number from 0 to 100."],
    },
    {
      name: "empty include item",
      input: "include:\n  - src/**\n  - ''\n",
      errors: ['line 3: `include[1]` is ""; allowed: a glob or a list of globs, such as `src/**/*.py`.'],
    },
    {
      name: "exclude as a number",
      input: "exclude: 3\n",
      errors: ["line 1: `exclude` is 3; allowed: a glob or a list of globs, such as `src/**/*.py`."],
    },
    {
      name: "guideUrl not http",
      input: "guideUrl: ftp://example.com/guide\n",
      errors: [
        'line 1: `guideUrl` is "ftp://example.com/guide"; allowed: an http(s) URL of the guide, such as `https://example.com/async-guide.html`.',
      ],
    },
    {
      name: "override without rules, with an unknown key",
      input: "overrides:\n  - files: tests/**\n    rule: {LG101: off}\n",
      errors: [
        "line 3: `overrides[0].rule` is not a loopguard setting (did you mean `rules`?); allowed: `files` and `rules`.",
        "line 2: `overrides[0].rules` is missing; allowed: a map from a rule code (`LG101`), name (`blocking-sleep`) or ruff/flake8-async alias (`ASYNC251`) to one of `off`, `info`, `warning`, `error`.",
      ],
    },
    {
      name: "override with an unknown rule",
      input: "overrides:\n  - files: [tests/**]\n    rules:\n      LG000: off\n",
      errors: [
        "line 4: `overrides[0].rules.LG000` is not a loopguard rule; allowed: a rule code, name or alias that `loopguard rules` lists.",
      ],
    },
    {
      name: "empty value",
      input: "failOn:\n",
      errors: ["line 1: `failOn` is empty; allowed: one of `error`, `warning`, `info`, `never`."],
    },
    {
      name: "not a map",
      input: "- rules\n",
      errors: ['line 1: the configuration is ["rules"]; allowed: a map of settings (`rules:`, `failOn:`, ...).'],
    },
    {
      name: "not YAML",
      input: "rules: {LG101: off\n",
      errors: ["line 2: the file is not valid YAML: Flow map in block collection must be sufficiently indented and end with a }"],
    },
  ];

  it.each(cases)("$name", ({ input, errors }) => {
    const r = parseConfig(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.message)).toEqual(errors);
  });

  it("reports every problem of a file at once, with key, value and allowed as data", () => {
    const r = parseConfig("failOn: sometimes\nmaxComments: lots\nextra: 1\n");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.key, e.value, e.line])).toEqual([
      ["failOn", '"sometimes"', 1],
      ["maxComments", '"lots"', 2],
      ["extra", '"extra"', 3],
    ]);
    expect(r.errors[0]!.allowed).toBe("one of `error`, `warning`, `info`, `never`");
  });

  it("has no line numbers for an object (the App's merged configuration)", () => {
    const r = parseConfig({ rules: { LG999: "off" } });
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([
      "`rules.LG999` is not a loopguard rule; allowed: a rule code, name or alias that `loopguard rules` lists.",
    ]);
  });
});

describe("paths and overrides", () => {
  const c = ok({
    include: ["src/**", "tests/**"],
    exclude: ["src/vendor/**"],
    overrides: [
      { files: ["tests/**"], rules: { LG101: "off", LG102: "info" } },
      { files: ["tests/slow/**"], rules: { LG102: "error" } },
    ],
  });

  it("includes and excludes by glob, dotfiles included", () => {
    expect(isReviewedPath(c, "src/app.py")).toBe(true);
    expect(isReviewedPath(c, "src/.hidden/app.py")).toBe(true);
    expect(isReviewedPath(c, "src/vendor/lib.py")).toBe(false);
    expect(isReviewedPath(c, "scripts/run.py")).toBe(false);
    expect(isReviewedPath(defaultConfig(), "any/where/at/all.py")).toBe(true);
  });

  it("gives each path the overrides that match it, later ones winning", () => {
    expect(severitiesForPath(c, "src/app.py")).toBeUndefined();
    expect(severitiesForPath(c, "tests/test_a.py")).toEqual({ LG101: "off", LG102: "info" });
    expect(severitiesForPath(c, "tests/slow/test_b.py")).toEqual({ LG101: "off", LG102: "error" });
  });
});

describe("JSON Schema", () => {
  it("describes every key with its default", () => {
    const schema = configJsonSchema() as { properties: Record<string, { default: unknown; description: string }> };
    expect(Object.keys(schema.properties)).toEqual(Object.keys(defaultConfig()));
    expect(schema.properties.maxComments!.default).toBe(25);
    for (const p of Object.values(schema.properties)) expect(p.description.length).toBeGreaterThan(10);
  });
});
