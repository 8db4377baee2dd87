// The JavaScript copy of the tree must answer exactly as web-tree-sitter
// does, node for node: every rule reads it instead of web-tree-sitter's API.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { compareTreeCopy, initParser, parsePython, parseSyntaxTree, syntaxTreeOf } from "../../src/analyzer/parser.js";
import { firstDifference } from "../../src/analyzer/tree-check.js";
import { allRules } from "../../src/checks/index.js";
import { mutatedFixture, randomText, tokenSoup } from "../helpers/fuzz-inputs.js";

beforeAll(async () => {
  await initParser();
});

/** null when the copy of `source`'s tree agrees with web-tree-sitter everywhere. */
function difference(source: string): string | null {
  return compareTreeCopy(source).difference;
}

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pythonFiles(p));
    else if (name.endsWith(".py")) out.push(p);
  }
  return out;
}

const fixtureFiles = pythonFiles(new URL("../fixtures", import.meta.url).pathname);
const ruleExamples = allRules.flatMap((r) => [...r.docs.bad, ...r.docs.good]);

describe("the syntax tree copy", () => {
  it("agrees with web-tree-sitter on every fixture file", () => {
    expect(fixtureFiles.length).toBeGreaterThan(30);
    for (const file of fixtureFiles) expect([file, difference(readFileSync(file, "utf8"))]).toEqual([file, null]);
  });

  it("agrees on every rule's documented examples", () => {
    for (const example of ruleExamples) expect(difference(example)).toBeNull();
  });

  it("agrees on broken input: random text, token soups, mutated fixtures", () => {
    const texts = [...ruleExamples, ...fixtureFiles.slice(0, 20).map((f) => readFileSync(f, "utf8"))];
    const same = (s: string) => difference(s) === null;
    fc.assert(fc.property(randomText, same), { numRuns: 300 });
    fc.assert(fc.property(tokenSoup, same), { numRuns: 500 });
    fc.assert(fc.property(mutatedFixture(texts), same), { numRuns: 500 });
  });

  it("agrees on CRLF, tabs, a BOM, non-ASCII names, emoji and astral characters", () => {
    const sources = [
      "\uFEFFimport asyncio\r\nasync def f():\r\n\tawait asyncio.sleep(1)\r\n",
      "async def naïve(ñ):\n    s = '😀 ünïcödé 𝔘'; await ñ(s)  # ✓ done\n",
      "x = '" + "é".repeat(70_000) + "'\ny = f'{x!r}' \\\n  + 'z'\n",
      "",
      "\n\n   \n",
      "(" .repeat(2_000) + ")".repeat(2_000) + "\n",
    ];
    for (const s of sources) expect(difference(s)).toBeNull();
  });

  it("reports a copy that disagrees (the check can fail)", () => {
    const source = "async def f(x):\n    await x\n";
    const tree = parsePython(source);
    try {
      const copy = syntaxTreeOf(tree, source);
      copy.cols.end[3] = copy.cols.end[3]! + 1;
      expect(firstDifference(copy, tree)).toMatch(/^node 3 .*: end /);
    } finally {
      tree.delete();
    }
  });

  it("answers the node API the rules use", () => {
    const tree = parseSyntaxTree("import a\nasync def f(x, *, y=1):\n    # c\n    return await g(x, y)\n");
    const fn = tree.rootNode.namedChild(1)!;
    expect(fn.type).toBe("function_definition");
    expect(fn.childForFieldName("name")!.text).toBe("f");
    expect(fn.childrenForFieldName("name").map((n) => n.text)).toEqual(["f"]);
    expect(fn.childForFieldName("nope")).toBeNull();
    const params = fn.childForFieldName("parameters")!;
    expect(params.namedChildren.map((c) => c.type)).toEqual(["identifier", "keyword_separator", "default_parameter"]);
    expect(params.namedChild(0)!.nextNamedSibling!.type).toBe("keyword_separator");
    expect(params.namedChild(2)!.previousNamedSibling!.type).toBe("keyword_separator");
    expect(fn.parent).toBe(tree.rootNode);
    expect(tree.rootNode.parent).toBeNull();
    const ret = fn.childForFieldName("body")!.namedChildren.find((c) => c.type === "return_statement")!;
    expect(ret.startPosition).toEqual({ row: 3, column: 4 });
    expect(ret.endPosition).toEqual({ row: 3, column: 24 });
    const g = tree.rootNode.descendantForIndex(source(tree).indexOf("g("));
    expect([g?.type, g?.text]).toEqual(["identifier", "g"]);
    expect(tree.node(tree.nodeCount)).toBeNull();
  });
});

function source(tree: { source: string }): string {
  return tree.source;
}
