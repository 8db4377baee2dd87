// The App as `npm start` runs it: Probot's own Server (webhooks first, then
// the App's handlers, then Probot's 404), listening on a free port of
// 127.0.0.1 with a throwaway key and secret.
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Probot, Server } from "probot";
import app from "../../src/index.js";

export const WEBHOOK_SECRET = "a-real-webhook-secret";

export interface RunningApp {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  origin: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  // Probot's Server reads port 0 as "use 3000", so ask the system for a free one first.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function startApp(): Promise<RunningApp> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const options = { appId: 123, privateKey, secret: WEBHOOK_SECRET, logLevel: "fatal" as const };
  // A quiet logger for the Server's request log, taken from a Probot made only for it.
  const { log } = await new Probot(options).ready();
  const server = new Server({ Probot: Probot.defaults(options), host: "127.0.0.1", port: await freePort(), log });
  await server.load(app);
  await server.start();
  return { origin: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}
