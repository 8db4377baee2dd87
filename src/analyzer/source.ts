// Turning bytes into analysable text, or saying why not. The same rules apply
// to files read from disk (CLI) and blobs fetched from GitHub (App).

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type DecodedSource = { ok: true; text: string } | { ok: false; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function decodeSource(bytes: Uint8Array): DecodedSource {
  if (bytes.byteLength > MAX_FILE_BYTES) {
    return { ok: false, reason: `larger than 2 MB (${bytes.byteLength} bytes)` };
  }
  if (bytes.includes(0)) return { ok: false, reason: "binary file (contains NUL bytes)" };
  try {
    // The decoder drops a leading byte-order mark.
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, reason: "not valid UTF-8" };
  }
}

/** The same checks for text that arrived already decoded (GitHub's GraphQL `text`). */
export function checkText(text: string, byteSize: number): DecodedSource {
  if (byteSize > MAX_FILE_BYTES) return { ok: false, reason: `larger than 2 MB (${byteSize} bytes)` };
  if (text.includes("\u0000")) return { ok: false, reason: "binary file (contains NUL bytes)" };
  if (text.includes("\uFFFD")) return { ok: false, reason: "not valid UTF-8" };
  return { ok: true, text: text.startsWith("\uFEFF") ? text.slice(1) : text };
}
