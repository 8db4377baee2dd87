// Input generators for the analyzer fuzz test and `npm run fuzz`: random
// bytes, token soups of Python's keywords and operators, and line-level
// mutations of real fixtures.
import fc from "fast-check";

const KEYWORDS = [
  "async", "await", "def", "class", "lambda", "with", "for", "while", "if", "elif", "else", "try", "except",
  "finally", "return", "yield", "from", "import", "as", "global", "nonlocal", "pass", "raise", "match", "case",
  "not", "and", "or", "in", "is", "None", "True", "False", "del", "assert", "break", "continue",
];
const OPERATORS = [
  "(", ")", "[", "]", "{", "}", ":", ",", ".", ";", "=", "==", ":=", "->", "+", "-", "*", "**", "/", "//", "%",
  "@", "|", "&", "^", "~", "<", ">", "<=", ">=", "!=", "\n", "\n    ", "\n        ", "\t", " ", "\\\n", "#", "'", '"', '"""',
];
const NAMES = ["asyncio", "time", "sleep", "requests", "get", "self", "loop", "create_task", "run", "open", "x", "f", "é", "🙂"];

export const tokenSoup = fc
  .array(fc.constantFrom(...KEYWORDS, ...OPERATORS, ...NAMES, "1", "0.5", "'s'", 'f"{x}"'), { maxLength: 200 })
  .map((tokens) => tokens.join(" "));

export const randomText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 400 }),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString("latin1")),
);

type Mutation = { kind: "delete" | "duplicate" | "swap"; at: number; other: number };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("delete", "duplicate", "swap"),
  at: fc.nat(),
  other: fc.nat(),
});

export function mutatedFixture(fixtures: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...fixtures), fc.array(mutation, { minLength: 1, maxLength: 6 }))
    .map(([text, mutations]) => {
      const lines = text.split("\n");
      for (const m of mutations) {
        if (lines.length === 0) break;
        const i = m.at % lines.length;
        const j = m.other % lines.length;
        if (m.kind === "delete") lines.splice(i, 1);
        else if (m.kind === "duplicate") lines.splice(i, 0, lines[i]!);
        else [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      return lines.join("\n");
    });
}
