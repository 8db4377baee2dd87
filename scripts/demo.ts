// `npm run demo`: the App's review, offline. Builds a throwaway git
// repository from examples/ (the service as it was on `main`, then a branch
// that changes it) and runs `loopguard review` on it: the check run and the
// review comments the App would post on that pull request.
// `npm run demo -- --format json` prints the request bodies instead.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { main } from "../src/cli/main.js";

const run = promisify(execFile);
const EXAMPLES = fileURLToPath(new URL("../examples/", import.meta.url));

// A fresh machine has no git identity, and a user's global settings (signing,
// hooks) must not get in the way: everything the commits need is given here.
// Fixed dates make the commit SHAs the same on every machine.
const GIT_ENV = {
  GIT_AUTHOR_NAME: "loopguard demo",
  GIT_AUTHOR_EMAIL: "demo@loopguard.invalid",
  GIT_COMMITTER_NAME: "loopguard demo",
  GIT_COMMITTER_EMAIL: "demo@loopguard.invalid",
  GIT_AUTHOR_DATE: "2025-01-01T12:00:00Z",
  GIT_COMMITTER_DATE: "2025-01-01T12:00:00Z",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

async function git(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("git", ["-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", ...args], {
    cwd: dir,
    env: { ...process.env, ...GIT_ENV },
  });
  return stdout.trim();
}

async function replaceTree(dir: string, from: string): Promise<void> {
  for (const entry of await readdir(dir)) if (entry !== ".git") await rm(join(dir, entry), { recursive: true, force: true });
  await cp(from, dir, { recursive: true });
}

export interface DemoRepo {
  dir: string;
  base: string;
  head: string;
}

/** A repository whose `main` holds examples/before and whose `change` branch holds examples/after. */
export async function createDemoRepo(parent: string = tmpdir()): Promise<DemoRepo> {
  const dir = await mkdtemp(join(parent, "loopguard-demo-"));
  await git(dir, "init", "-q", "-b", "main");
  await replaceTree(dir, join(EXAMPLES, "before"));
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", "Order service: charge, save the receipt, notify the warehouse");
  const base = await git(dir, "rev-parse", "HEAD");
  await git(dir, "checkout", "-q", "-b", "change");
  await replaceTree(dir, join(EXAMPLES, "after"));
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", "Exchange rates, a retry delay, an audit task and a reorder helper");
  const head = await git(dir, "rev-parse", "HEAD");
  return { dir, base, head };
}

async function demo(args: readonly string[]): Promise<number> {
  const repo = await createDemoRepo();
  process.stderr.write(`Demo repository: ${repo.dir} (branch "change" against "main")\n\n`);
  const code = await main(["review", "--base", "main", ...args], {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: repo.dir,
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  });
  // Findings are what the demo is for: exit 0 unless the review itself failed.
  return code === 1 ? 0 : code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await demo(process.argv.slice(2));
}
