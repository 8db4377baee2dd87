// File contents at given commits in few requests: GraphQL queries of up to
// 100 aliased `object(expression: "<sha>:<path>")` lookups (fewer when the
// texts are large), the REST blob API for what GraphQL cuts off or calls
// binary. Whatever comes back goes through the core's decode/skip rules.
// Octokit's retry plugin retries a failed query once; a query GitHub still
// cannot answer in time (502/504) is split in two, once; an answer with
// errors for some lookups keeps the others.
import type { ProbotOctokit } from "probot";
import { checkText, decodeSource, MAX_FILE_BYTES, type DecodedSource } from "../analyzer/source.js";

export interface TextRequest {
  /** The caller's key for the result. */
  key: string;
  /** Commit SHA. */
  ref: string;
  path: string;
  /** Rough size in bytes when known, so large texts are spread over more queries. */
  sizeHint?: number;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

export const MAX_OBJECTS_PER_QUERY = 100;
/** GraphQL answers have a time limit; keep one query's texts to a few megabytes. */
export const MAX_HINTED_BYTES_PER_QUERY = 4 * 1024 * 1024;
const PARALLEL_QUERIES = 4;
/** Retries of one content query by Octokit's retry plugin (its default of 3 waits 14 s for a query that may be too heavy). */
const QUERY_RETRIES = 1;
/** GitHub's answers to a GraphQL query that ran out of time: a smaller one may pass. */
const TIMEOUT_STATUSES: ReadonlySet<number> = new Set([502, 504]);

interface BlobNode {
  oid: string;
  text: string | null;
  byteSize: number;
  isBinary: boolean | null;
  isTruncated: boolean;
}

type QueryData = { repository: Record<string, BlobNode | Record<string, never> | null> | null };

/** Texts by request key; a file that cannot be analysed has `ok: false` and the reason. */
export async function fetchTexts(
  octokit: ProbotOctokit,
  repo: RepoRef,
  requests: readonly TextRequest[],
): Promise<Map<string, DecodedSource>> {
  const out = new Map<string, DecodedSource>();
  const batches = batchRequests(requests);
  let next = 0;
  let failed = false;
  const worker = async () => {
    // Once one batch has failed the run is over: send no more queries.
    while (!failed && next < batches.length) {
      const batch = batches[next++]!;
      try {
        for (const [key, value] of await fetchBatch(octokit, repo, batch)) out.set(key, value);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_QUERIES, batches.length) }, worker));
  return out;
}

/** Groups of at most 100 requests whose size hints stay under the per-query budget. */
export function batchRequests(requests: readonly TextRequest[]): TextRequest[][] {
  const batches: TextRequest[][] = [];
  let current: TextRequest[] = [];
  let bytes = 0;
  for (const r of requests) {
    const size = r.sizeHint ?? 0;
    if (current.length > 0 && (current.length >= MAX_OBJECTS_PER_QUERY || bytes + size > MAX_HINTED_BYTES_PER_QUERY)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export function blobsQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$e${i}: String!`).join(", ");
  const fields = Array.from(
    { length: count },
    (_, i) => `    f${i}: object(expression: $e${i}) { ... on Blob { oid text byteSize isBinary isTruncated } }`,
  ).join("\n");
  return `query($owner: String!, $name: String!, ${vars}) {\n  repository(owner: $owner, name: $name) {\n${fields}\n  }\n}`;
}

async function fetchBatch(
  octokit: ProbotOctokit,
  repo: RepoRef,
  batch: readonly TextRequest[],
  split = false,
): Promise<Map<string, DecodedSource>> {
  const variables: Record<string, unknown> = { owner: repo.owner, name: repo.repo, request: { retries: QUERY_RETRIES } };
  batch.forEach((r, i) => (variables[`e${i}`] = `${r.ref}:${r.path}`));
  let data: QueryData;
  const errors = new Map<string, string>();
  try {
    data = await octokit.graphql<QueryData>(blobsQuery(batch.length), variables);
  } catch (err) {
    const partial = partialData(err);
    if (partial) {
      data = partial.data;
      for (const [alias, message] of partial.errors) errors.set(alias, message);
    } else if (batch.length > 1 && !split && TIMEOUT_STATUSES.has(statusOf(err) ?? 0)) {
      // Too heavy to answer in time: two smaller queries, once (a GitHub that is down fails fast).
      const half = Math.ceil(batch.length / 2);
      const [a, b] = await Promise.all([
        fetchBatch(octokit, repo, batch.slice(0, half), true),
        fetchBatch(octokit, repo, batch.slice(half), true),
      ]);
      return new Map([...a, ...b]);
    } else {
      throw err;
    }
  }
  const out = new Map<string, DecodedSource>();
  for (const [i, r] of batch.entries()) {
    const node = data.repository?.[`f${i}`] ?? null;
    const error = errors.get(`f${i}`);
    out.set(r.key, error ? { ok: false, reason: `GitHub could not return it (${error})` } : await decodeBlob(octokit, repo, r, node));
  }
  return out;
}

async function decodeBlob(
  octokit: ProbotOctokit,
  repo: RepoRef,
  r: TextRequest,
  node: BlobNode | Record<string, never> | null,
): Promise<DecodedSource> {
  if (!node || !("oid" in node)) return { ok: false, reason: `not found at ${r.ref.slice(0, 7)}` };
  if (node.byteSize > MAX_FILE_BYTES) return { ok: false, reason: `larger than 2 MB (${node.byteSize} bytes)` };
  // GitHub cuts `text` at about 512 kB and calls some texts binary by its own rules: ask for the bytes.
  if (node.text === null || node.isTruncated || node.isBinary) {
    const blob = await octokit.rest.git.getBlob({ owner: repo.owner, repo: repo.repo, file_sha: node.oid });
    return decodeSource(Buffer.from(blob.data.content, blob.data.encoding === "base64" ? "base64" : "utf8"));
  }
  return checkText(node.text, node.byteSize);
}

interface GraphqlAnswer {
  data?: QueryData | null;
  errors?: { message: string; path?: (string | number)[] }[];
}

/**
 * The data and per-alias errors of a GraphQL answer that came back partly
 * failed: thrown by Octokit's GraphQL client as is, or, when the retry
 * plugin took it for a server error ("Something went wrong…") and retried
 * it, as the request error of the last attempt.
 */
function partialData(err: unknown): { data: QueryData; errors: Map<string, string> } | null {
  if (!(err instanceof Error)) return null;
  const answer: GraphqlAnswer =
    "data" in err && "errors" in err
      ? { data: err.data as QueryData | null, errors: err.errors as GraphqlAnswer["errors"] }
      : ((err as { response?: { data?: GraphqlAnswer } }).response?.data ?? {});
  if (!answer.data?.repository || !Array.isArray(answer.errors)) return null;
  const errors = new Map<string, string>();
  for (const e of answer.errors) {
    const alias = e.path?.[1];
    if (typeof alias === "string") errors.set(alias, e.message);
  }
  return { data: answer.data, errors };
}

function statusOf(err: unknown): number | null {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}
