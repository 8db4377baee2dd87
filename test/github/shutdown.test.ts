// The App as it runs in production (`src/server.ts` in a child process, with
// its real Octokit and queue, LOOPGUARD_CONCURRENCY=1) against a stand-in
// for GitHub's API on 127.0.0.1. SIGTERM arrives while one review runs and
// two wait: the waiting ones are completed as neutral, a delivery during the
// drain is refused with its check run closed at once, the running one
// finishes, and the process exits 0 with every check run it created completed.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { fixture } from "./app.js";
import { StandInGitHub } from "./stand-in-github.js";

const SECRET = "a-secret-for-the-shutdown-test";
const APP_ID = 123;
const SERVER = fileURLToPath(new URL("../../src/server.ts", import.meta.url));

let child: ChildProcess | null = null;
let standIn: StandInGitHub | null = null;
let cwd: string | null = null;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await standIn?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
  child = standIn = cwd = null;
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const sha = (n: number) => String(n).repeat(40);

function openedPayload(number: number): string {
  const p = structuredClone(fixture("pull_request.opened")) as ReturnType<typeof fixture> & {
    number: number;
    pull_request: { number: number; changed_files: number };
  };
  p.number = number;
  p.pull_request.number = number;
  p.pull_request.head.sha = sha(number);
  p.pull_request.base.sha = "b".repeat(40);
  p.pull_request.changed_files = 1;
  return JSON.stringify(p);
}

async function deliver(port: number, body: string, id: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": id,
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body,
  });
  await res.text();
  return res.status;
}

async function waitForPing(port: number, output: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child?.exitCode !== null) throw new Error(`the App exited early:\n${output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ping`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the App did not start:\n${output()}`);
}

function exitCode(p: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (p.exitCode !== null) resolve(p.exitCode);
    else p.once("exit", (code) => resolve(code));
  });
}

describe("SIGTERM", () => {
  it("completes every check run the App created: the running review finishes, waiting ones are closed as neutral", async () => {
    standIn = new StandInGitHub("Codertocat", "Hello-World", APP_ID);
    const api = await standIn.listen();
    for (const n of [1, 2, 3, 4]) standIn.pullRequest(n, sha(n));
    const held = standIn.holdFiles(1);
    const port = await freePort();
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
    });
    cwd = mkdtempSync(join(tmpdir(), "loopguard-shutdown-"));
    child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), SERVER], {
      cwd,
      env: {
        PATH: process.env.PATH,
        APP_ID: String(APP_ID),
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        HOST: "127.0.0.1",
        PORT: String(port),
        GHE_HOST: api,
        GHE_PROTOCOL: "http",
        LOOPGUARD_CONCURRENCY: "1",
        LOG_FORMAT: "json",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const exited = exitCode(child);
    await waitForPing(port, () => output);

    expect(await deliver(port, openedPayload(1), "d-1")).toBe(200);
    // Its job runs, and waits for the list of its files.
    await held.reached;
    expect(await deliver(port, openedPayload(2), "d-2")).toBe(200);
    expect(await deliver(port, openedPayload(3), "d-3")).toBe(200);
    await standIn.until((runs) => runs.filter((r) => r.status === "queued").length === 2);

    child.kill("SIGTERM");
    await standIn.until((runs) => runs.filter((r) => r.conclusion === "neutral").length === 2);
    // Still draining: a new delivery is taken, refused, and its check run closed at once.
    expect(await deliver(port, openedPayload(4), "d-4")).toBe(200);
    await standIn.until((runs) => runs.filter((r) => r.conclusion === "neutral").length === 3);
    expect(standIn.checkRuns.find((r) => r.head_sha === sha(1))).toMatchObject({ status: "in_progress", conclusion: null });

    held.release();
    expect(await exited, output).toBe(0);

    const byPull = Object.fromEntries(standIn.checkRuns.map((r) => [r.external_id, r]));
    expect(standIn.checkRuns).toHaveLength(4);
    expect(standIn.checkRuns.every((r) => r.status === "completed")).toBe(true);
    expect(byPull["1"]).toMatchObject({ head_sha: sha(1), conclusion: "success", output: { title: "No async issues found" } });
    for (const n of ["2", "3", "4"]) {
      expect(byPull[n]).toMatchObject({ conclusion: "neutral", output: { title: "Not analysed: loopguard shut down" } });
      expect(byPull[n]!.output.summary).toContain("shut down before analysis; re-run to analyse");
    }
    expect(output).toContain("loopguard: SIGTERM: finishing 1 running review(s), closing 2 waiting one(s)");
    // The waiting and the refused reviews never fetched anything.
    expect(standIn.requests.filter((r) => /\/pulls\/[234]\/files|\/pulls\/[234]$/.test(r))).toEqual([]);
  });
});
