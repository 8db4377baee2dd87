// The `.github/loopguard.yml` schema. One table of fields gives the config
// type, its defaults, the validation (every message names the key, the value
// found and what is allowed) and the JSON Schema editors use. The App and the
// CLI both go through `parseConfig`, so a file means the same everywhere.
import picomatch from "picomatch";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { Rule } from "./analyzer/rule.js";
import type { Severity, SeveritySetting } from "./analyzer/types.js";
import { allRules } from "./checks/index.js";
import { findRules } from "./checks/lookup.js";

export const CONFIG_PATH = ".github/loopguard.yml";

export type FailOn = Severity | "never";

/** Severity settings for rules whose files match `files` (later entries win). */
export interface RuleOverride {
  files: string[];
  rules: Record<string, SeveritySetting>;
}

/** A key path into the configuration: `["overrides", 0, "rules", "LG101"]`. */
export type ConfigPath = readonly (string | number)[];

export interface ConfigError {
  /** Where: `failOn`, `rules.LG999`, `overrides[0].files`. */
  key: string;
  /** The value found, as the user wrote it (JSON), or null when the problem is a missing key. */
  value: string | null;
  /** What would have been accepted. */
  allowed: string;
  /** 1-based line in the file, when the configuration came as text. */
  line: number | null;
  /** The whole sentence: what is wrong and what to write instead. */
  message: string;
}

export type ParseConfigResult = { ok: true; config: LoopguardConfig } | { ok: false; errors: ConfigError[] };

/** JSON Schema fragment (draft-07 subset) describing one field to editors. */
type JsonSchema = Record<string, unknown>;

/** Collects problems while a value is read; `at` is where the value sits. */
interface Reader {
  /** `problem` replaces "is <value>" (e.g. "is not a loopguard setting"); `onKey` points the line at the key. */
  fail(at: ConfigPath, value: unknown, allowed: string, how?: { problem?: string; onKey?: boolean }): undefined;
  rules: readonly Rule[];
}

interface Field<T> {
  /** One line for the README and the JSON Schema. */
  doc: string;
  default: () => T;
  allowed: string;
  json: JsonSchema;
  read(value: unknown, at: ConfigPath, r: Reader): T | undefined;
}

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ["off", "info", "warning", "error"];
const SEVERITIES: readonly Severity[] = ["info", "warning", "error"];
const FAIL_ON: readonly FailOn[] = ["error", "warning", "info", "never"];
const MAX_COMMENTS_LIMIT = 100;

function field<T>(f: Field<T>): Field<T> {
  return f;
}

function oneOf<T extends string>(values: readonly T[]) {
  const allowed = `one of ${values.map((v) => `\`${v}\``).join(", ")}`;
  return {
    allowed,
    json: { enum: [...values] },
    read(value: unknown, at: ConfigPath, r: Reader): T | undefined {
      if (typeof value === "string" && (values as readonly string[]).includes(value)) return value as T;
      return r.fail(at, value, allowed);
    },
  };
}

const GLOBS_ALLOWED = "a glob or a list of globs, such as `src/**/*.py`";

function readGlobs(value: unknown, at: ConfigPath, r: Reader): string[] | undefined {
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list)) return r.fail(at, value, GLOBS_ALLOWED);
  const out: string[] = [];
  list.forEach((g: unknown, i) => {
    const where = typeof value === "string" ? at : [...at, i];
    if (typeof g !== "string" || g.trim() === "") r.fail(where, g, GLOBS_ALLOWED);
    else out.push(g);
  });
  return out.length === list.length ? out : undefined;
}

const GLOBS_JSON: JsonSchema = {
  oneOf: [
    { type: "string", minLength: 1 },
    { type: "array", items: { type: "string", minLength: 1 } },
  ],
};

const RULES_ALLOWED =
  "a map from a rule code (`LG101`), name (`blocking-sleep`) or ruff/flake8-async alias (`ASYNC251`) to one of `off`, `info`, `warning`, `error`";
const severitySetting = oneOf(SEVERITY_SETTINGS);

/** `rules:` keyed by what users write, normalised to codes; two keys naming one rule is an error. */
function readRules(value: unknown, at: ConfigPath, r: Reader): Record<string, SeveritySetting> | undefined {
  if (!isPlainObject(value)) return r.fail(at, value, RULES_ALLOWED);
  const out: Record<string, SeveritySetting> = {};
  const namedBy = new Map<string, string>();
  let ok = true;
  for (const [id, setting] of Object.entries(value)) {
    const where = [...at, id];
    const rules = findRules(id, r.rules);
    if (rules.length === 0) {
      ok = false;
      r.fail(where, id, "a rule code, name or alias that `loopguard rules` lists", {
        problem: unknownRuleProblem(id, r.rules),
        onKey: true,
      });
      continue;
    }
    const severity = severitySetting.read(setting, where, r);
    if (severity === undefined) {
      ok = false;
      continue;
    }
    for (const rule of rules) {
      const earlier = namedBy.get(rule.meta.code);
      if (earlier !== undefined && out[rule.meta.code] !== severity) {
        ok = false;
        r.fail(where, id, "one setting per rule", {
          problem: `names ${rule.meta.code} again (already set by \`${earlier}\`)`,
          onKey: true,
        });
        continue;
      }
      namedBy.set(rule.meta.code, id);
      out[rule.meta.code] = severity;
    }
  }
  return ok ? out : undefined;
}

function unknownRuleProblem(id: string, rules: readonly Rule[]): string {
  // Codes are too alike to guess between (LG000 is two edits from LG101); names are not.
  const near = /^[a-z]+\d+$/i.test(id) ? null : closest(id, rules.map((rule) => rule.meta.name));
  return `is not a loopguard rule${near ? ` (did you mean \`${near}\`?)` : ""}`;
}

/** Reports each key of a list entry that is not one of `keys`; true when there is none. */
function onlyKnownKeys(entry: Record<string, unknown>, where: ConfigPath, keys: readonly string[], r: Reader): boolean {
  const unknown = Object.keys(entry).filter((key) => !keys.includes(key));
  const allowed = keys.map((k) => `\`${k}\``).join(" and ");
  for (const key of unknown) r.fail([...where, key], key, allowed, { problem: unknownKeyProblem(key, keys), onKey: true });
  return unknown.length === 0;
}

const OVERRIDE_KEYS = ["files", "rules"] as const;
const OVERRIDES_ALLOWED = "a list of `{files: [globs], rules: {rule: severity}}` entries";

function readOverrides(value: unknown, at: ConfigPath, r: Reader): RuleOverride[] | undefined {
  if (!Array.isArray(value)) return r.fail(at, value, OVERRIDES_ALLOWED);
  const out: RuleOverride[] = [];
  value.forEach((entry: unknown, i) => {
    const where = [...at, i];
    if (!isPlainObject(entry)) {
      r.fail(where, entry, OVERRIDES_ALLOWED);
      return;
    }
    onlyKnownKeys(entry, where, OVERRIDE_KEYS, r);
    for (const key of OVERRIDE_KEYS) {
      if (!(key in entry)) r.fail([...where, key], MISSING, key === "files" ? GLOBS_ALLOWED : RULES_ALLOWED);
    }
    const files = "files" in entry ? readGlobs(entry.files, [...where, "files"], r) : undefined;
    const rules = "rules" in entry ? readRules(entry.rules, [...where, "rules"], r) : undefined;
    if (files && rules) out.push({ files, rules });
  });
  return out.length === value.length ? out : undefined;
}

const URL_ALLOWED = "an http(s) URL of the guide, such as `https://example.com/async-guide.html`";

function readUrl(value: unknown, at: ConfigPath, r: Reader): string | null | undefined {
  if (value === null) return null;
  const url = typeof value === "string" && !/\s/.test(value) && URL.canParse(value) ? new URL(value) : null;
  if (url && (url.protocol === "https:" || url.protocol === "http:")) return value as string;
  return r.fail(at, value, URL_ALLOWED);
}

/** One project-specific blocking call for LG108: a qualified-name pattern and what to do instead. */
export interface BlockingCallSetting {
  pattern: string;
  /** Shown in the finding; empty means loopguard's default advice (run it in a thread). */
  advice: string;
}

const BLOCKING_CALLS_ALLOWED =
  "a list of `{pattern: dotted.name, advice: text}` entries (or plain patterns); a pattern segment may hold `*`, and a final `.*` matches everything under it";
const PATTERN_SEGMENT = /^[A-Za-z_*][A-Za-z0-9_*]*$/;
const BLOCKING_CALL_KEYS = ["pattern", "advice"] as const;

function readBlockingCalls(value: unknown, at: ConfigPath, r: Reader): BlockingCallSetting[] | undefined {
  if (!Array.isArray(value)) return r.fail(at, value, BLOCKING_CALLS_ALLOWED);
  const out: BlockingCallSetting[] = [];
  value.forEach((entry: unknown, i) => {
    const where = [...at, i];
    const item = typeof entry === "string" ? { pattern: entry } : entry;
    if (!isPlainObject(item)) {
      r.fail(where, entry, BLOCKING_CALLS_ALLOWED);
      return;
    }
    const ok = onlyKnownKeys(item, where, BLOCKING_CALL_KEYS, r);
    const patternAt = typeof entry === "string" ? where : [...where, "pattern"];
    const pattern = item.pattern;
    if (pattern === undefined) {
      r.fail(patternAt, MISSING, "a dotted name such as `boto3.client` or `mycompany.db.*`");
      return;
    }
    if (typeof pattern !== "string" || !pattern.trim().split(".").every((s) => PATTERN_SEGMENT.test(s))) {
      r.fail(patternAt, pattern, "a dotted name such as `boto3.client` or `mycompany.db.*`");
      return;
    }
    const advice = item.advice ?? "";
    if (typeof advice !== "string") {
      r.fail([...where, "advice"], advice, "text to show with the finding, such as `use aioboto3`");
      return;
    }
    if (ok) out.push({ pattern: pattern.trim(), advice: advice.trim() });
  });
  return out.length === value.length ? out : undefined;
}

/** Every key of `.github/loopguard.yml`. Adding a key is adding an entry here. */
export const CONFIG_FIELDS = {
  rules: field<Record<string, SeveritySetting>>({
    doc: "Severity per rule (`off`, `info`, `warning`, `error`), keyed by code, name or ruff/flake8-async alias.",
    default: () => ({}),
    allowed: RULES_ALLOWED,
    json: { type: "object", additionalProperties: { enum: [...SEVERITY_SETTINGS] } },
    read: readRules,
  }),
  include: field<string[]>({
    doc: "Globs of the Python files to review (paths from the repository root).",
    default: () => ["**"],
    allowed: GLOBS_ALLOWED,
    json: GLOBS_JSON,
    read: readGlobs,
  }),
  exclude: field<string[]>({
    doc: "Globs of files never to review, even when `include` matches them.",
    default: () => [],
    allowed: GLOBS_ALLOWED,
    json: GLOBS_JSON,
    read: readGlobs,
  }),
  failOn: field<FailOn>({
    doc: "The least severity of a new finding that fails the check (`never`: the check is at worst neutral).",
    default: () => "error",
    ...oneOf(FAIL_ON),
  }),
  comments: field<boolean>({
    doc: "Post a review with inline comments (the check run is posted either way).",
    default: () => true,
    allowed: "`true` or `false`",
    json: { type: "boolean" },
    read: (value, at, r) => (typeof value === "boolean" ? value : r.fail(at, value, "`true` or `false`")),
  }),
  commentOn: field<Severity>({
    doc: "The least severity that gets a review comment; lower ones appear only in the check run.",
    default: () => "warning",
    ...oneOf(SEVERITIES),
  }),
  maxComments: field<number>({
    doc: `Most inline comments in one review; the rest are listed in the review body (0 to ${MAX_COMMENTS_LIMIT}).`,
    default: () => 25,
    allowed: `a whole number from 0 to ${MAX_COMMENTS_LIMIT}`,
    json: { type: "integer", minimum: 0, maximum: MAX_COMMENTS_LIMIT },
    read: (value, at, r) =>
      typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_COMMENTS_LIMIT
        ? value
        : r.fail(at, value, `a whole number from 0 to ${MAX_COMMENTS_LIMIT}`),
  }),
  guideUrl: field<string | null>({
    doc: "Where your copy of the async guide lives; findings link to its sections (default: loopguard's guide).",
    default: () => null,
    allowed: URL_ALLOWED,
    json: { type: ["string", "null"], format: "uri" },
    read: readUrl,
  }),
  blockingCalls: field<BlockingCallSetting[]>({
    doc: "Your project's own blocking calls for LG108: `[{pattern: mycompany.db.*, advice: use the async client}]`.",
    default: () => [],
    allowed: BLOCKING_CALLS_ALLOWED,
    json: {
      type: "array",
      items: {
        oneOf: [
          { type: "string", minLength: 1 },
          {
            type: "object",
            required: ["pattern"],
            additionalProperties: false,
            properties: { pattern: { type: "string", minLength: 1 }, advice: { type: "string" } },
          },
        ],
      },
    },
    read: readBlockingCalls,
  }),
  overrides: field<RuleOverride[]>({
    doc: "Per-path rule severities: `[{files: [globs], rules: {...}}]`; later entries win.",
    default: () => [],
    allowed: OVERRIDES_ALLOWED,
    json: {
      type: "array",
      items: {
        type: "object",
        required: ["files", "rules"],
        additionalProperties: false,
        properties: {
          files: GLOBS_JSON,
          rules: { type: "object", additionalProperties: { enum: [...SEVERITY_SETTINGS] } },
        },
      },
    },
    read: readOverrides,
  }),
};

type Fields = typeof CONFIG_FIELDS;
export type LoopguardConfig = { [K in keyof Fields]: Fields[K] extends Field<infer T> ? T : never };
const FIELD_NAMES = Object.keys(CONFIG_FIELDS) as (keyof Fields)[];

export function defaultConfig(): LoopguardConfig {
  const out: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) out[name] = CONFIG_FIELDS[name].default();
  return out as LoopguardConfig;
}

const MISSING = Symbol("missing");
const EXTENDS_KEY = "_extends";

/**
 * Reads a configuration: YAML text (errors then carry line numbers) or an
 * already parsed object (what Probot's `context.config` returns). `null`,
 * `undefined` and empty text mean "no file": the defaults.
 */
export function parseConfig(input: string | unknown, rules: readonly Rule[] = allRules): ParseConfigResult {
  if (typeof input === "string") return parseConfigText(input, rules);
  return readConfig(input, rules, () => null);
}

function parseConfigText(text: string, rules: readonly Rule[]): ParseConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const line = e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line;
        const reason = e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
        return {
          key: "(file)",
          value: null,
          allowed: "valid YAML",
          line,
          message: `line ${line}: the file is not valid YAML: ${reason}`,
        };
      }),
    };
  }
  return readConfig(doc.toJS(), rules, (path, on) => lineOf(doc, lineCounter, path, on));
}

function readConfig(
  input: unknown,
  rules: readonly Rule[],
  lineAt: (path: ConfigPath, on: "key" | "value") => number | null,
): ParseConfigResult {
  const errors: ConfigError[] = [];
  const reader: Reader = {
    rules,
    fail(at, value, allowed, how = {}) {
      const onKey = how.onKey === true || value === MISSING;
      errors.push(configError(at, value, allowed, how.problem, lineAt(at, onKey ? "key" : "value")));
      return undefined;
    },
  };
  const config = defaultConfig();
  if (input === null || input === undefined) return { ok: true, config };
  if (!isPlainObject(input)) {
    reader.fail([], input, "a map of settings (`rules:`, `failOn:`, ...)");
    return { ok: false, errors };
  }
  const target = config as Record<string, unknown>;
  for (const [key, value] of Object.entries(input)) {
    // Probot resolves `_extends` (inheriting another repository's file) before the App sees it.
    if (key === EXTENDS_KEY) continue;
    if (!(FIELD_NAMES as string[]).includes(key)) {
      reader.fail([key], key, `one of ${FIELD_NAMES.map((n) => `\`${n}\``).join(", ")}`, {
        problem: unknownKeyProblem(key, FIELD_NAMES),
        onKey: true,
      });
      continue;
    }
    const read = CONFIG_FIELDS[key as keyof Fields].read(value, [key], reader);
    if (read !== undefined) target[key] = read;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

function configError(
  at: ConfigPath,
  value: unknown,
  allowed: string,
  problem: string | undefined,
  line: number | null,
): ConfigError {
  const key = formatPath(at);
  const shown = value === MISSING ? null : showValue(value);
  const where = line === null ? "" : `line ${line}: `;
  const subject = key === "" ? "the configuration" : `\`${key}\``;
  const predicate = problem ?? (value === MISSING ? "is missing" : `is ${shown}`);
  const what = `${subject} ${predicate}`;
  return { key: key || "(file)", value: shown, allowed, line, message: `${where}${what}; allowed: ${allowed}.` };
}

export function formatPath(at: ConfigPath): string {
  let out = "";
  for (const part of at) out += typeof part === "number" ? `[${part}]` : out === "" ? part : `.${part}`;
  return out;
}

function showValue(value: unknown): string {
  if (value === undefined || value === null) return "empty";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

function unknownKeyProblem(key: string, known: readonly string[]): string {
  const near = closest(key, known);
  return `is not a loopguard setting${near ? ` (did you mean \`${near}\`?)` : ""}`;
}

/** The known word within two edits of `word` (case-insensitive), if there is one. */
function closest(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function lineOf(doc: Document, lc: LineCounter, path: ConfigPath, on: "key" | "value"): number | null {
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) return rangeLine(node, lc);
      if (last && on === "key") return rangeLine(pair.key, lc);
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof part === "number") {
      const item = node.items[part];
      if (item === undefined) return rangeLine(node, lc);
      node = item;
    } else {
      return rangeLine(node, lc);
    }
  }
  return rangeLine(node, lc);
}

function rangeLine(node: unknown, lc: LineCounter): number | null {
  const range = (node as { range?: readonly number[] } | null)?.range;
  return range?.[0] === undefined ? null : lc.linePos(range[0]).line;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The severity settings `analyzeProject` takes (codes to severities) for the whole repository. */
export function severitiesFromConfig(config: LoopguardConfig): Record<string, SeveritySetting> {
  return { ...config.rules };
}

/** The settings the `overrides` add for one file (to go in `SourceFile.severities`), or undefined. */
export function severitiesForPath(config: LoopguardConfig, path: string): Record<string, SeveritySetting> | undefined {
  let out: Record<string, SeveritySetting> | undefined;
  for (const o of config.overrides) {
    if (matchesAny(o.files, path)) out = { ...out, ...o.rules };
  }
  return out;
}

/** Whether `include`/`exclude` let a file be reviewed (the caller checks it is Python). */
export function isReviewedPath(config: LoopguardConfig, path: string): boolean {
  return matchesAny(config.include, path) && !matchesAny(config.exclude, path);
}

const matcherCache = new Map<string, picomatch.Matcher>();

function matchesAny(globs: readonly string[], path: string): boolean {
  return globs.some((g) => {
    let m = matcherCache.get(g);
    if (!m) {
      m = picomatch(g, { dot: true });
      matcherCache.set(g, m);
    }
    return m(path);
  });
}

/** The JSON Schema of the file, for editors (`# yaml-language-server: $schema=...`). */
export function configJsonSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const name of FIELD_NAMES) {
    const f = CONFIG_FIELDS[name];
    properties[name] = { description: f.doc, default: f.default(), ...f.json };
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "loopguard configuration (.github/loopguard.yml)",
    type: "object",
    additionalProperties: false,
    properties,
  };
}
