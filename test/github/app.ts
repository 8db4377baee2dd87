// Probot's testing pattern: the real App on a real Probot, authenticated as an
// App with a generated key (so the installation-token request happens as in
// production), retries and throttling off (or on, as in production, with
// waits shrunk from seconds to milliseconds), and a fetch under Octokit that
// counts every request leaving it.
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import Bottleneck from "bottleneck";
import { Probot, ProbotOctokit } from "probot";
import { vi } from "vitest";
import app from "../../src/index.js";
import { loopguardOctokit } from "../../src/github/octokit.js";
import { resetReviewScheduler } from "../../src/github/review-job.js";
import { JobQueue } from "../../src/jobs/queue.js";
import { getReviewQueue, resetReviewQueue } from "../../src/jobs/review-queue.js";

let privateKey: string | null = null;
function testKey(): string {
  privateKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  }).privateKey;
  return privateKey;
}

export interface LogLine {
  level: "info" | "warn" | "error";
  fields: Record<string, unknown>;
  message: string;
}

export interface TestApp {
  probot: Probot;
  /** `METHOD /path` of every request that left Octokit, token exchange included. */
  requests: string[];
  logs: LogLine[];
  /** Delivers a webhook and waits until the review queue has nothing running or waiting. */
  deliver(name: string, payload: unknown, id?: string): Promise<void>;
  /** Delivers a webhook and returns once the App has answered it (its job may still run or wait). */
  receive(name: string, payload: unknown, id?: string): Promise<void>;
  /** Resolves when the review queue has nothing running or waiting. */
  idle(): Promise<void>;
  /** A restart: the App forgets the deliveries and check runs it has seen. */
  forget(): void;
}

export interface TestAppOptions {
  /** The review queue's concurrency (4, as LOOPGUARD_CONCURRENCY's default, unless given). */
  concurrency?: number;
  /**
   * The App's production Octokit: Probot's retry and throttling plugins with
   * loopguard's rate-limit policy, every wait in milliseconds instead of
   * seconds and writes not paced a second apart, so the test does not sleep.
   */
  githubPlugins?: boolean;
}

/** Bottleneck groups without pacing, in place of the throttling plugin's (one write per second). */
function unpaced(): { write: Bottleneck.Group; notifications: Bottleneck.Group; search: Bottleneck.Group } {
  return { write: new Bottleneck.Group(), notifications: new Bottleneck.Group(), search: new Bottleneck.Group() };
}

type LogMethod = (...args: unknown[]) => void;
type OctokitLog = Record<"debug" | "info" | "warn" | "error", LogMethod>;

/** Octokit's own logger (where its plugins warn), recording its warnings. */
function recordingWarnings(log: OctokitLog | undefined, logs: LogLine[]): OctokitLog {
  const pass = (level: keyof OctokitLog): LogMethod => (...args) => log?.[level](...args);
  return {
    debug: pass("debug"),
    info: pass("info"),
    warn: (...args) => {
      if (typeof args[0] === "string") logs.push({ level: "warn", fields: {}, message: args[0] });
      log?.warn(...args);
    },
    error: pass("error"),
  };
}

function octokitClass(githubPlugins: boolean, logs: LogLine[]): typeof ProbotOctokit {
  if (!githubPlugins) {
    // A function, so it applies after Probot's own defaults (which turn throttling on).
    return ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } }));
  }
  const groups = unpaced();
  return loopguardOctokit({ msPerSecond: 1 }).defaults((options: { throttle?: object; log?: OctokitLog }) => ({
    ...options,
    log: recordingWarnings(options.log, logs),
    throttle: { ...options.throttle, ...groups },
  }));
}

export async function startApp(options: TestAppOptions = {}): Promise<TestApp> {
  resetReviewQueue(new JobQueue(options.concurrency ?? 4));
  resetReviewScheduler();
  const logs: LogLine[] = [];
  const requests: string[] = [];
  const countingFetch: typeof fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    requests.push(`${init?.method ?? "GET"} ${new URL(url).pathname}`);
    return fetch(input, init);
  };
  const probot = new Probot({
    appId: 123,
    privateKey: testKey(),
    logLevel: "fatal",
    request: { fetch: countingFetch },
    Octokit: octokitClass(options.githubPlugins ?? false, logs),
  });
  await probot.load(app);
  // Each event's logger is a child of Probot's: capture what the App logs through it.
  const child = probot.log.child.bind(probot.log);
  vi.spyOn(probot.log, "child").mockImplementation((bindings, options) => {
    const log = child(bindings, options);
    for (const level of ["info", "error"] as const) {
      const original = log[level].bind(log);
      vi.spyOn(log, level).mockImplementation((fields: unknown, message?: unknown) => {
        if (typeof fields === "object" && fields !== null && typeof message === "string") {
          logs.push({ level, fields: fields as Record<string, unknown>, message });
        }
        original(fields as object, message as string);
      });
    }
    return log;
  });
  let delivery = 0;
  const receive = (name: string, payload: unknown, id?: string) =>
    probot.receive({ id: id ?? `delivery-${++delivery}`, name, payload } as unknown as Parameters<Probot["receive"]>[0]);
  const idle = () => getReviewQueue().idle();
  return {
    probot,
    requests,
    logs,
    deliver: async (name, payload, id) => {
      await receive(name, payload, id);
      await idle();
    },
    receive,
    idle,
    forget: resetReviewScheduler,
  };
}

export function fixture(name: string): Record<string, unknown> & { pull_request: { head: { sha: string }; base: { sha: string } } } {
  return JSON.parse(readFileSync(new URL(`../fixtures/webhooks/${name}.json`, import.meta.url), "utf8"));
}
