// The Octokit every request of the App goes through: Probot's own, whose
// plugins already retry (5xx answers, up to 3 times, waiting 1, 4 and 9 s)
// and throttle (writes one at a time a second apart, and rate limits waited
// out), so loopguard never retries on top of them. It only sets the policy
// for rate limits: wait for a reset that is near, give up on one that is far
// (the run then completes its check run saying when to re-run) rather than
// hold a queue slot for most of an hour.
import { ProbotOctokit } from "probot";

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;

export interface RateLimitPolicy {
  /** The longest wait GitHub may ask for, in seconds, before the run gives up. */
  maxWaitSeconds: number;
  /** How many times one request is retried after a rate limit. */
  maxRetries: number;
}

export const RATE_LIMIT_POLICY: RateLimitPolicy = { maxWaitSeconds: 600, maxRetries: 2 };

/** Whether to wait `retryAfter` seconds and send the request again (its `retryCount`-th retry). */
export function shouldWaitOut(retryAfter: number, retryCount: number, policy: RateLimitPolicy = RATE_LIMIT_POLICY): boolean {
  return retryCount < policy.maxRetries && retryAfter <= policy.maxWaitSeconds;
}

export interface LoopguardOctokitOptions {
  policy?: RateLimitPolicy;
  /**
   * Milliseconds per second of a wait the plugins decide (GitHub's reset
   * time, the retry back-off): 1000 in production; tests shrink it.
   */
  msPerSecond?: number;
}

interface LimitedRequest {
  method: string;
  url: string;
}

interface LoggingOctokit {
  log: { warn(message: string): void };
}

export function loopguardOctokit(options: LoopguardOctokitOptions = {}): typeof ProbotOctokit {
  const policy = options.policy ?? RATE_LIMIT_POLICY;
  const base = options.msPerSecond ?? 1000;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: LimitedRequest, octokit: LoggingOctokit, retryCount: number): boolean => {
      const retry = shouldWaitOut(retryAfter, retryCount, policy);
      octokit.log.warn(
        `loopguard: ${kind} on ${request.method} ${request.url}: ${retry ? `retrying in ${retryAfter} s` : `not waiting ${retryAfter} s, giving up`}`,
      );
      return retry;
    };
  return ProbotOctokit.defaults((instance: OctokitOptions) => ({
    ...instance,
    retry: { ...instance.retry, retryAfterBaseValue: base },
    throttle: {
      ...instance.throttle,
      retryAfterBaseValue: base,
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
    },
  }));
}

export const LoopguardOctokit: typeof ProbotOctokit = loopguardOctokit();
