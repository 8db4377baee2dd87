import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { batchRequests, blobsQuery, fetchTexts, type TextRequest } from "../../src/github/contents.js";
import { API, testOctokit } from "./octokit.js";

afterEach(() => {
  nock.cleanAll();
});

const REPO = { owner: "o", repo: "r" };

interface GraphqlBody {
  query: string;
  variables: Record<string, string>;
}

function blob(text: string | null, extra: Record<string, unknown> = {}) {
  return { oid: `oid-${text?.length ?? 0}`, text, byteSize: Buffer.byteLength(text ?? ""), isBinary: false, isTruncated: false, ...extra };
}

function req(i: number, sizeHint?: number): TextRequest {
  return { key: `k${i}`, ref: "abc1234def", path: `pkg/m${i}.py`, sizeHint };
}

/** Answers every blob query with `answer(expression)` and records the queries. */
function answerBlobs(answer: (expression: string) => unknown, queries: GraphqlBody[] = []) {
  return nock(API)
    .post("/graphql")
    .times(100)
    .reply(200, (_uri, body) => {
      const b = body as GraphqlBody;
      queries.push(b);
      const repository: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(b.variables)) {
        if (/^e\d+$/.test(name)) repository[`f${name.slice(1)}`] = answer(value);
      }
      return { data: { repository } };
    });
}

describe("batching", () => {
  it("puts at most 100 objects in a query, fewer when the texts are large", () => {
    expect(batchRequests(Array.from({ length: 250 }, (_, i) => req(i))).map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batchRequests(Array.from({ length: 10 }, (_, i) => req(i, 1024 * 1024))).map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batchRequests([])).toEqual([]);
  });

  it("passes expressions as variables (no escaping of paths)", () => {
    expect(blobsQuery(2)).toContain("f1: object(expression: $e1) { ... on Blob { oid text byteSize isBinary isTruncated } }");
    expect(blobsQuery(2)).toContain("query($owner: String!, $name: String!, $e0: String!, $e1: String!)");
  });
});

describe("fetchTexts", () => {
  it("fetches 250 texts in 3 queries", async () => {
    const queries: GraphqlBody[] = [];
    answerBlobs((e) => blob(`# ${e}\n`), queries);
    const requests = Array.from({ length: 250 }, (_, i) => req(i));
    const texts = await fetchTexts(testOctokit(), REPO, requests);
    expect(queries).toHaveLength(3);
    expect(queries[0]!.variables).toMatchObject({ owner: "o", name: "r", e0: "abc1234def:pkg/m0.py" });
    expect(texts.get("k249")).toEqual({ ok: true, text: "# abc1234def:pkg/m249.py\n" });
  });

  it("applies the core's skip rules whatever GitHub says, and asks REST for cut or 'binary' texts", async () => {
    const big = "x = 1\n".repeat(100_000);
    answerBlobs((e) => {
      if (e.endsWith("nul.py")) return blob("a\u0000b");
      if (e.endsWith("huge.py")) return blob(null, { byteSize: 3_000_000, isTruncated: true });
      if (e.endsWith("missing.py")) return null;
      if (e.endsWith("cut.py")) return blob(big.slice(0, 1000), { oid: "cutoid", byteSize: big.length, isTruncated: true });
      if (e.endsWith("binary.py")) return blob(null, { oid: "binoid", isBinary: true, byteSize: 9 });
      if (e.endsWith("latin1.py")) return blob(null, { oid: "latoid", isBinary: true, byteSize: 8 });
      return blob("\uFEFFok = 1\n");
    });
    const rest = nock(API)
      .get("/repos/o/r/git/blobs/cutoid")
      .reply(200, { content: Buffer.from(big).toString("base64"), encoding: "base64" })
      .get("/repos/o/r/git/blobs/binoid")
      .reply(200, { content: Buffer.from("é = 'ü'\n").toString("base64"), encoding: "base64" })
      .get("/repos/o/r/git/blobs/latoid")
      .reply(200, { content: Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]).toString("base64"), encoding: "base64" });
    const names = ["ok", "nul", "huge", "missing", "cut", "binary", "latin1"];
    const texts = await fetchTexts(
      testOctokit(),
      REPO,
      names.map((n) => ({ key: n, ref: "abc1234def", path: `${n}.py` })),
    );
    expect(Object.fromEntries(texts)).toEqual({
      ok: { ok: true, text: "ok = 1\n" },
      nul: { ok: false, reason: "binary file (contains NUL bytes)" },
      huge: { ok: false, reason: "larger than 2 MB (3000000 bytes)" },
      missing: { ok: false, reason: "not found at abc1234" },
      cut: { ok: true, text: big },
      binary: { ok: true, text: "é = 'ü'\n" },
      latin1: { ok: false, reason: "not valid UTF-8" },
    });
    expect(rest.isDone()).toBe(true);
  });

  it("keeps what a partly failed query returned and names the error for the rest", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, {
        data: { repository: { f0: blob("a = 1\n"), f1: null } },
        errors: [{ message: "Something went wrong while executing your query.", path: ["repository", "f1"] }],
      });
    const texts = await fetchTexts(testOctokit(), REPO, [req(0), req(1)]);
    expect(texts.get("k0")).toEqual({ ok: true, text: "a = 1\n" });
    expect(texts.get("k1")).toEqual({ ok: false, reason: "GitHub could not return it (Something went wrong while executing your query.)" });
  });

  it("halves a batch GitHub could not answer", async () => {
    const sizes: number[] = [];
    nock(API)
      .post("/graphql")
      .reply(502, "Bad Gateway")
      .post("/graphql")
      .times(2)
      .reply(200, (_uri, body) => {
        const vars = Object.keys((body as GraphqlBody).variables).filter((k) => /^e\d+$/.test(k));
        sizes.push(vars.length);
        return { data: { repository: Object.fromEntries(vars.map((v) => [`f${v.slice(1)}`, blob("pass\n")])) } };
      });
    const texts = await fetchTexts(testOctokit(), REPO, [req(0), req(1), req(2), req(3)]);
    expect(sizes).toEqual([2, 2]);
    expect([...texts.values()].every((t) => t.ok)).toBe(true);
  });

  it("lets a single failing lookup's error through", async () => {
    nock(API).post("/graphql").reply(502, "Bad Gateway");
    await expect(fetchTexts(testOctokit(), REPO, [req(0)])).rejects.toMatchObject({ status: 502 });
  });
});
