// File contents at given commits in few requests: GraphQL queries of up to
// 100 aliased `object(expression: "<sha>:<path>")` lookups (fewer when the
// texts are large), the REST blob API for what GraphQL cuts off or calls
// binary. Whatever comes back goes through the core's decode/skip rules.
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
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      for (const [key, value] of await fetchBatch(octokit, repo, batch)) out.set(key, value);
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
): Promise<Map<string, DecodedSource>> {
  const variables: Record<string, string> = { owner: repo.owner, name: repo.repo };
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
    } else if (batch.length > 1) {
      // Too large or too slow for one answer: half the batch each time.
      const half = Math.ceil(batch.length / 2);
      const [a, b] = await Promise.all([fetchBatch(octokit, repo, batch.slice(0, half)), fetchBatch(octokit, repo, batch.slice(half))]);
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

/** The data and per-alias errors of a GraphQL answer that came back partly failed. */
function partialData(err: unknown): { data: QueryData; errors: Map<string, string> } | null {
  if (!(err instanceof Error) || !("data" in err) || !("errors" in err)) return null;
  const data = err.data as QueryData | null | undefined;
  if (!data?.repository) return null;
  const errors = new Map<string, string>();
  for (const e of (err.errors as { message: string; path?: (string | number)[] }[] | undefined) ?? []) {
    const alias = e.path?.[1];
    if (typeof alias === "string") errors.set(alias, e.message);
  }
  return { data, errors };
}
