// `npm start`: runs the App with Probot's standard environment, refuses to
// start without a real webhook secret, and on SIGTERM drains the review
// queue so that no check run is left open.
import { run } from "probot";
import app from "./index.js";
import { getReviewQueue } from "./jobs/review-queue.js";

/** Why the environment cannot run the App safely, or null. */
export function startupProblem(env: NodeJS.ProcessEnv): string | null {
  const secret = env.WEBHOOK_SECRET;
  // Probot would fall back to the well-known secret "development": anyone could forge deliveries.
  if (!secret) return "WEBHOOK_SECRET is not set: refusing to accept unsigned webhooks (set it to the App's webhook secret)";
  if (secret === "development") return 'WEBHOOK_SECRET is "development", the well-known default: set the App\'s real webhook secret';
  try {
    getReviewQueue();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return null;
}

export async function start(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const problem = startupProblem(env);
  if (problem) {
    process.stderr.write(`loopguard: ${problem}\n`);
    process.exit(1);
  }
  const server = await run(app, { env });
  let stopping = false;
  process.on("SIGTERM", () => {
    if (stopping) return;
    stopping = true;
    // Stop taking jobs, answer the waiting ones, let the running ones finish.
    getReviewQueue()
      .shutdown()
      .then(() => server.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`loopguard: shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
          process.exit(1);
        },
      );
  });
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await start();
}
