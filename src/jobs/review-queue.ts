// The process-wide queue of pull-request reviews, created on first use so a
// bad LOOPGUARD_CONCURRENCY is reported when the App starts, not on import.
import { concurrencyFromEnv, JobQueue } from "./queue.js";

let queue: JobQueue | null = null;

export function getReviewQueue(onError?: ConstructorParameters<typeof JobQueue>[1]): JobQueue {
  queue ??= new JobQueue(concurrencyFromEnv(), onError);
  return queue;
}

/** Tests start each case with a fresh queue. */
export function resetReviewQueue(next: JobQueue | null = null): void {
  queue = next;
}
