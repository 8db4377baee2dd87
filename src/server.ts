// `npm start`: runs the App with Probot's standard environment, refuses to
// start without a real webhook secret, and on SIGTERM (or Ctrl-C) drains the
// review queue so that no check run is left open.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseEnv } from "node:util";
import { run } from "probot";
import app from "./index.js";
import { LoopguardOctokit } from "./github/octokit.js";
import { concurrencyFromEnv, JobQueue } from "./jobs/queue.js";
import { getReviewQueue, resetReviewQueue } from "./jobs/review-queue.js";

/** Why the environment cannot run the App safely, or null. */
export function startupProblem(env: NodeJS.ProcessEnv): string | null {
  const secret = env.WEBHOOK_SECRET;
  // Probot would fall back to the well-known secret "development": anyone could forge deliveries.
  if (!secret) return "WEBHOOK_SECRET is not set: refusing to accept unsigned webhooks (set it to the App's webhook secret)";
  if (secret === "development") return 'WEBHOOK_SECRET is "development", the well-known default: set the App\'s real webhook secret';
  try {
    concurrencyFromEnv(env);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return null;
}

/**
 * The environment Probot will run with: it reads `.env` in the working
 * directory over the process's environment (Probot's own setup writes the
 * secret there), so the check must see that file too.
 */
export function effectiveEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): NodeJS.ProcessEnv {
  try {
    return { ...env, ...parseEnv(readFileSync(join(cwd, ".env"), "utf8")) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return env;
    throw err;
  }
}

export async function start(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const problem = startupProblem(effectiveEnv(env));
  if (problem) {
    process.stderr.write(`loopguard: ${problem}\n`);
    process.exit(1);
  }
  resetReviewQueue(new JobQueue(concurrencyFromEnv(effectiveEnv(env))));
  const probotListeners = new Set(process.listeners("SIGINT"));
  const server = await run(app, { env, Octokit: LoopguardOctokit });
  // Probot stops at once on Ctrl-C, abandoning running reviews: drain first instead.
  for (const listener of process.listeners("SIGINT")) if (!probotListeners.has(listener)) process.off("SIGINT", listener);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal is an order: go now, even if check runs stay open (a re-run mends them).
      process.stderr.write(`loopguard: ${signal} again, exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    const queue = getReviewQueue();
    const { running, waiting } = queue.stats;
    process.stderr.write(`loopguard: ${signal}: finishing ${running} running review(s), closing ${waiting} waiting one(s)\n`);
    // Stop taking jobs, answer the waiting ones, let the running ones finish, then close the server.
    queue
      .drain()
      .then(() => server.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`loopguard: shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await start();
}
