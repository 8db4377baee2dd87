// Deliveries must be signed with the App's webhook secret: the App behind
// Probot's own HTTP middleware, on a random local port, refuses an unsigned
// delivery, a badly signed one, and one signed with Probot's well-known
// fallback secret "development"; it takes a well-signed one.
import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import app from "../../src/index.js";
import { resetReviewScheduler } from "../../src/github/review-job.js";
import { JobQueue } from "../../src/jobs/queue.js";
import { getReviewQueue, resetReviewQueue } from "../../src/jobs/review-queue.js";
import { fixture } from "./app.js";
import { FakeGitHub } from "./fake-github.js";

const SECRET = "a-real-webhook-secret";

let server: Server;
let url: string;
const requests: string[] = [];

beforeAll(async () => {
  resetReviewQueue(new JobQueue(1));
  resetReviewScheduler();
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const countingFetch: typeof fetch = (input, init) => {
    requests.push(String(input instanceof Request ? input.url : input));
    return fetch(input, init);
  };
  const probot = new Probot({
    appId: 123,
    privateKey,
    secret: SECRET,
    logLevel: "fatal",
    request: { fetch: countingFetch },
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  const middleware = await createNodeMiddleware(app, { probot });
  server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  nock.cleanAll();
});

function sign(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

async function post(body: string, signature: string | null): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": "pull_request",
    "x-github-delivery": `d-${Math.random()}`,
  };
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const res = await fetch(url, { method: "POST", headers, body });
  return { status: res.status, text: await res.text() };
}

const body = JSON.stringify(fixture("pull_request.opened"));

describe("webhook signatures", () => {
  it("refuses an unsigned delivery", async () => {
    const res = await post(body, null);
    expect(res.status).toBe(400);
    expect(res.text).toContain("Required headers missing: x-hub-signature-256");
    expect(requests).toEqual([]);
  });

  it("refuses a badly signed delivery, and one signed with the well-known secret", async () => {
    for (const signature of [sign(body, "not-the-secret"), sign(body, "development"), "sha256=0000", sign(`${body} `, SECRET)]) {
      const res = await post(body, signature);
      expect(res.status, signature).toBe(400);
      expect(res.text).toContain("signature does not match event payload and secret");
    }
    expect(requests).toEqual([]);
    expect(getReviewQueue().stats).toEqual({ running: 0, waiting: 0 });
  });

  it("takes a delivery signed with the secret", async () => {
    const gh = new FakeGitHub({ pr: { headSha: fixture("pull_request.opened").pull_request.head.sha, baseSha: "b".repeat(40), files: [] } });
    const res = await post(body, sign(body, SECRET));
    expect(res.status).toBe(200);
    await getReviewQueue().idle();
    expect(gh.checkRuns.map((r) => r.status)).toEqual(["completed"]);
  });
});
