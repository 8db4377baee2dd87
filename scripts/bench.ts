// `npm run bench -- DIR [--select RULES]`: scans DIR in-process and prints
// files, lines, MB, seconds, lines per second and peak memory. A script, not
// a test: timings belong to the machine they ran on.
import { parseArgs } from "node:util";
import { listOption } from "../src/cli/command.js";
import { loopguardVersion } from "../src/cli/version.js";
import { formatMeasurement, measureScan } from "./bench-lib.js";

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { select: { type: "string", multiple: true } },
  allowPositionals: true,
});
const dir = positionals[0];
if (!dir) {
  process.stderr.write("usage: npm run bench -- DIR [--select RULES]\n");
  process.exit(2);
}

const m = await measureScan(dir, { select: listOption(values.select) });
process.stdout.write(`loopguard ${loopguardVersion()} scan of ${dir} (Node ${process.version}, one thread)\n`);
process.stdout.write(formatMeasurement(m));
