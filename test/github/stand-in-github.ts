// A small stand-in for GitHub's API, served over real HTTP on 127.0.0.1 for
// an App started as a child process (Probot's GitHub Enterprise settings:
// GHE_HOST=127.0.0.1:PORT, GHE_PROTOCOL=http, so REST is under /api/v3 and
// GraphQL at /api/graphql). It answers the requests of one review job for
// pull requests of one repository, each changing one clean Python file, keeps
// the check runs it is asked to create, and can hold the listing of a pull
// request's files so that its job stays running.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface StandInCheckRun {
  id: number;
  head_sha: string;
  external_id: string;
  status: string;
  conclusion: string | null;
  output: { title: string | null; summary: string | null };
  app: { id: number };
}

interface Gate {
  reached: Promise<void>;
  arrive: () => void;
  open: Promise<void>;
  release: () => void;
}

function gate(): Gate {
  let arrive!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((r) => (arrive = r));
  const open = new Promise<void>((r) => (release = r));
  return { reached, arrive, open, release };
}

const SOURCE = "async def main():\n    return 1\n";

export class StandInGitHub {
  readonly checkRuns: StandInCheckRun[] = [];
  /** `METHOD path` of every request, in order. */
  readonly requests: string[] = [];
  private readonly server: Server;
  private readonly gates = new Map<number, Gate>();
  private readonly changes: (() => boolean)[] = [];
  private readonly heads = new Map<number, string>();

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly appId: number,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ message: String(err) }));
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Pull request `number` has head `sha`. */
  pullRequest(number: number, sha: string): void {
    this.heads.set(number, sha);
  }

  /** Holds the listing of pull request `number`'s files until released. */
  holdFiles(number: number): { reached: Promise<void>; release: () => void } {
    const g = gate();
    this.gates.set(number, g);
    return { reached: g.reached, release: g.release };
  }

  /** Resolves when `predicate` holds of the check runs (checked after each request). */
  until(predicate: (runs: readonly StandInCheckRun[]) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate(this.checkRuns)) return false;
        resolve();
        return true;
      };
      if (!check()) this.changes.push(check);
    });
  }

  private changed(): void {
    for (let i = this.changes.length - 1; i >= 0; i--) if (this.changes[i]!()) this.changes.splice(i, 1);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const path = url.pathname;
    this.requests.push(`${req.method} ${path}`);
    const body = await readJson(req);
    const repoPath = `/api/v3/repos/${this.owner}/${this.repo}`;
    const send = (status: number, data: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(data));
      this.changed();
    };
    let m: RegExpExecArray | null;
    if (req.method === "POST" && /^\/api\/v3\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return send(201, { token: "ghs_standin", expires_at: "2999-01-01T00:00:00Z", permissions: {}, repository_selection: "all" });
    }
    if (req.method === "GET" && path.includes("/contents/")) return send(404, { message: "Not Found" });
    if (req.method === "GET" && (m = new RegExp(`^${repoPath}/commits/([0-9a-f]+)/check-runs$`).exec(path))) {
      const runs = this.checkRuns.filter((r) => r.head_sha === m![1]);
      return send(200, { total_count: runs.length, check_runs: runs });
    }
    if (req.method === "POST" && path === `${repoPath}/check-runs`) {
      const b = body as Partial<StandInCheckRun> & { head_sha: string };
      const run: StandInCheckRun = {
        id: 5000 + this.checkRuns.length,
        head_sha: b.head_sha,
        external_id: b.external_id ?? "",
        status: b.status ?? "queued",
        conclusion: b.conclusion ?? null,
        output: { title: b.output?.title ?? null, summary: b.output?.summary ?? null },
        app: { id: this.appId },
      };
      this.checkRuns.push(run);
      return send(201, run);
    }
    if (req.method === "PATCH" && (m = new RegExp(`^${repoPath}/check-runs/(\\d+)$`).exec(path))) {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      if (!run) return send(404, { message: "Not Found" });
      const b = body as Partial<StandInCheckRun>;
      if (b.status) run.status = b.status;
      if (b.conclusion) run.conclusion = b.conclusion;
      if (b.output) run.output = { title: b.output.title ?? null, summary: b.output.summary ?? null };
      return send(200, run);
    }
    if (req.method === "GET" && (m = new RegExp(`^${repoPath}/pulls/(\\d+)/files$`).exec(path))) {
      const number = Number(m[1]);
      const held = this.gates.get(number);
      if (held) {
        held.arrive();
        await held.open;
      }
      const patch = `@@ -0,0 +1,2 @@\n${SOURCE.trimEnd().split("\n").map((l) => `+${l}`).join("\n")}`;
      return send(200, [{ sha: "1".repeat(40), filename: `svc/ok_${number}.py`, status: "added", additions: 2, deletions: 0, changes: 2, patch }]);
    }
    if (req.method === "GET" && (m = new RegExp(`^${repoPath}/pulls/(\\d+)$`).exec(path))) {
      const number = Number(m[1]);
      return send(200, { number, head: { sha: this.heads.get(number) }, base: { sha: "b".repeat(40), repo: { full_name: `${this.owner}/${this.repo}` } } });
    }
    if (req.method === "POST" && path === "/api/graphql") return send(200, this.graphql(body as { query: string; variables: Record<string, unknown> }));
    send(404, { message: `the stand-in does not answer ${req.method} ${path}` });
  }

  private graphql(body: { query: string; variables: Record<string, unknown> }): unknown {
    if (body.query.includes("object(expression")) {
      const repository: Record<string, unknown> = {};
      for (const name of Object.keys(body.variables)) {
        if (/^e\d+$/.test(name)) {
          repository[`f${name.slice(1)}`] = { oid: "2".repeat(40), text: SOURCE, byteSize: SOURCE.length, isBinary: false, isTruncated: false };
        }
      }
      return { data: { repository } };
    }
    return {
      data: { repository: { pullRequest: { reviews: { nodes: [] }, reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } } },
    };
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as unknown) : null;
}
