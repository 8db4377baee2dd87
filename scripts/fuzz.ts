// `npm run fuzz -- N`: runs N random cases of each generator against the
// analyzer and prints how many ran; exits 1 on the first failure.
import fc from "fast-check";
import { analyzeSource } from "../src/analyzer/analyze.js";
import { initParser } from "../src/analyzer/parser.js";
import { allRules } from "../src/checks/index.js";
import { mutatedFixture, randomText, tokenSoup } from "../test/helpers/fuzz-inputs.js";

const runs = Number(process.argv[2] ?? 1000);
if (!Number.isInteger(runs) || runs <= 0) {
  console.error("usage: npm run fuzz -- N   (N: cases per generator)");
  process.exit(2);
}
await initParser();
const severities = Object.fromEntries(allRules.map((r) => [r.meta.code, "warning" as const]));
const fixtures = allRules.flatMap((r) => [...r.docs.bad, ...r.docs.good]);
let ran = 0;
let findings = 0;
const started = performance.now();
for (const [name, arb] of [
  ["random bytes", randomText],
  ["token soup", tokenSoup],
  ["mutated fixtures", mutatedFixture(fixtures)],
] as const) {
  fc.assert(
    fc.property(arb, (source) => {
      const r = analyzeSource("fuzz.py", source, { severities });
      const lines = Math.max(1, source.split("\n").length);
      for (const f of r.findings) {
        if (f.line < 1 || f.endLine > lines || f.column < 1) throw new Error(`finding outside the file: ${JSON.stringify(f)}`);
      }
      findings += r.findings.length;
      ran++;
    }),
    { numRuns: runs },
  );
  console.log(`${name}: ${runs} cases ok`);
}
console.log(`${ran} cases ran, ${findings} findings, ${((performance.now() - started) / 1000).toFixed(1)} s, no crash`);
