// `npm run check:tree -- DIR...`: parses every Python file under the given
// folders and compares loopguard's copy of each tree with web-tree-sitter's
// own answers, node for node (src/analyzer/tree-check.ts). Run it on a large
// corpus (a Python installation's standard library) before moving
// web-tree-sitter or tree-sitter-python to another version: the reader
// follows their C layouts (src/analyzer/tree-reader.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { compareTreeCopy, initParser } from "../src/analyzer/parser.js";
import { MAX_FILE_BYTES } from "../src/analyzer/source.js";

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  process.stderr.write("usage: npm run check:tree -- DIR [DIR...]\n");
  process.exit(2);
}

function pythonFiles(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const path = join(dir, name);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      continue;
    }
    if (isDir) pythonFiles(path, out);
    else if (name.endsWith(".py")) out.push(path);
  }
  return out;
}

await initParser();
let files = 0;
let nodes = 0;
let differences = 0;
for (const path of dirs.flatMap((d) => pythonFiles(d))) {
  let source: string;
  try {
    const bytes = readFileSync(path);
    if (bytes.byteLength > MAX_FILE_BYTES) continue;
    source = bytes.toString("utf8");
  } catch {
    continue;
  }
  const result = compareTreeCopy(source);
  files++;
  nodes += result.nodes;
  if (result.difference) {
    differences++;
    if (differences <= 20) process.stdout.write(`${path}: ${result.difference}\n`);
  }
}
process.stdout.write(`${files.toLocaleString("en-US")} files, ${nodes.toLocaleString("en-US")} nodes, ${differences} with a difference\n`);
process.exitCode = differences > 0 ? 1 : 0;
