// Where each markdown file of docs/ is served, and how a link written between
// those files (`../guide.md#anchor`, `rules/busy-wait.md`) becomes a link
// between the served pages. Links are relative, so the pages work behind a
// proxy that mounts the App under a path of its own.
import { posix } from "node:path";

export const PAGES_ROOT = "/loopguard";
export const GUIDE_PATH = `${PAGES_ROOT}/guide`;
export const RULES_PATH = `${PAGES_ROOT}/rules`;

export function rulePath(name: string): string {
  return `${RULES_PATH}/${name}`;
}

/** The served path of a docs/ file (`guide.md`, `rules/<name>.md`), or null for one not served. */
export function servedPathOf(docPath: string): string | null {
  if (docPath === "guide.md") return GUIDE_PATH;
  const rule = /^rules\/([a-z0-9][a-z0-9-]*)\.md$/.exec(docPath);
  return rule ? rulePath(rule[1]!) : null;
}

/** A link from the page at `fromPath` to the one at `toPath`, relative to the first. */
export function relativeUrl(fromPath: string, toPath: string): string {
  const relative = posix.relative(posix.dirname(fromPath), toPath);
  // From /loopguard/rules/x to /loopguard/rules the relative path is empty: name the page instead.
  return relative === "" ? `../${posix.basename(toPath)}` : relative;
}

/**
 * A link as written in `fromDoc` (a docs/ path), as the served page of
 * `fromDoc` should carry it. Links to files that are not served, absolute
 * paths, fragments and URLs stay as written.
 */
export function servedHref(href: string, fromDoc: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("/") || href.startsWith("#")) return href;
  const fromPath = servedPathOf(fromDoc);
  if (fromPath === null) return href;
  const hashAt = href.indexOf("#");
  const file = hashAt === -1 ? href : href.slice(0, hashAt);
  const hash = hashAt === -1 ? "" : href.slice(hashAt);
  const target = servedPathOf(posix.normalize(posix.join(posix.dirname(fromDoc), file)));
  return target === null ? href : relativeUrl(fromPath, target) + hash;
}
