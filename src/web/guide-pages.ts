// The App's own pages: the async guide and one page per rule, rendered from
// docs/ the first time each is asked for and kept. A Probot HTTP handler:
// it answers the paths under /loopguard/ it knows and lets every other
// request (the webhooks first of all) pass on to the next handler.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Rule } from "../analyzer/rule.js";
import { allRules } from "../checks/index.js";
import { GUIDE_PATH, RULES_PATH, relativeUrl, rulePath, servedHref } from "./doc-links.js";
import { renderPage } from "./page-shell.js";
import { escapeHtml, renderInlineMarkdown, renderMarkdown, type RenderedMarkdown } from "./render-markdown.js";

/** A request handler as Probot's `addHandler` takes it: true when it answered. */
export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface GuidePagesOptions {
  /** The folder holding guide.md and rules/<name>.md. */
  docsDir?: string;
  rules?: readonly Rule[];
}

/** docs/ of the package: this module runs from src/web (tsx) or lib/web (built), two levels below it. */
export function packageDocsDir(): string {
  return fileURLToPath(new URL("../../docs", import.meta.url));
}

type Route =
  | { kind: "guide" }
  | { kind: "index" }
  | { kind: "rule"; name: string }
  | { kind: "redirect"; location: string };

/** Which page a path asks for, or null for a path these pages leave to others. */
export function routeOf(pathname: string): Route | null {
  if (pathname === GUIDE_PATH) return { kind: "guide" };
  if (pathname === RULES_PATH) return { kind: "index" };
  if (pathname.startsWith(`${RULES_PATH}/`)) {
    const rest = pathname.slice(RULES_PATH.length + 1);
    if (rest === "") return { kind: "redirect", location: "../rules" };
    if (!rest.includes("/")) return { kind: "rule", name: rest };
    // `/loopguard/rules/<name>/`: without the slash, or the page's relative links would miss.
    if (/^[^/]+\/$/.test(rest)) return { kind: "redirect", location: `../${rest.slice(0, -1)}` };
    return null;
  }
  if (pathname === `${GUIDE_PATH}/`) return { kind: "redirect", location: "../guide" };
  return null;
}

interface Page {
  status: number;
  body: Buffer;
  etag: string;
}

function page(status: number, html: string): Page {
  const body = Buffer.from(html, "utf8");
  return { status, body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
}

function renderGuide(docsDir: string): RenderedMarkdown {
  return renderMarkdown(readFileSync(join(docsDir, "guide.md"), "utf8"), { rewriteHref: (href) => servedHref(href, "guide.md") });
}

function guidePage({ html, title }: RenderedMarkdown): Page {
  return page(200, renderPage({ path: GUIDE_PATH, title: title ?? "Async guide", body: html }));
}

function rulePage(docsDir: string, rule: Rule): Page {
  const doc = `rules/${rule.meta.name}.md`;
  const { html } = renderMarkdown(readFileSync(join(docsDir, doc), "utf8"), {
    rewriteHref: (href) => servedHref(href, doc),
  });
  return page(200, renderPage({ path: rulePath(rule.meta.name), title: `${rule.meta.code} ${rule.meta.name}`, body: html }));
}

/** The index names each rule's guide section by its heading, as the guide shows it. */
function indexPage(rules: readonly Rule[], guide: RenderedMarkdown): Page {
  const sectionTitles = new Map(guide.headings.map((h) => [h.id, h.text]));
  const rows = rules.map(({ meta, docs }) => {
    const href = escapeHtml(relativeUrl(RULES_PATH, rulePath(meta.name)));
    const section = escapeHtml(`${relativeUrl(RULES_PATH, GUIDE_PATH)}#${meta.guide}`);
    return [
      "<tr>",
      `<td><code>${escapeHtml(meta.code)}</code></td>`,
      `<td class="name"><a href="${href}">${escapeHtml(meta.name)}</a></td>`,
      `<td>${renderInlineMarkdown(docs.summary)}</td>`,
      `<td><a href="${section}">${escapeHtml(sectionTitles.get(meta.guide) ?? meta.guide)}</a></td>`,
      "</tr>",
    ].join("");
  });
  const body = [
    "<h1>Rules</h1>",
    `<p>The ${rules.length} rules loopguard checks, in code order. Each links to its page and to the guide section behind it.</p>`,
    "<table>",
    "<thead><tr><th>Code</th><th>Rule</th><th>What it flags</th><th>Guide section</th></tr></thead>",
    `<tbody>\n${rows.join("\n")}\n</tbody>`,
    "</table>",
  ].join("\n");
  return page(200, renderPage({ path: RULES_PATH, title: "Rules", body }));
}

function unknownRulePage(name: string): Page {
  const body = [
    "<h1>No such rule</h1>",
    `<p>loopguard has no rule named <code>${escapeHtml(name)}</code>. <a href="../rules">All rules</a> lists the ones it has.</p>`,
  ].join("\n");
  return page(404, renderPage({ path: rulePath(name), title: "No such rule", body }));
}

function send(req: IncomingMessage, res: ServerResponse, { status, body, etag }: Page): void {
  const headers: Record<string, string | number> = {
    "content-type": "text/html; charset=utf-8",
    "cache-control": status === 200 ? "public, max-age=300" : "no-cache",
    // The pages carry no script: say so, so that nothing slipped into one could run.
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; base-uri 'none'; form-action 'none'",
    "x-content-type-options": "nosniff",
    etag,
  };
  if (status === 200 && req.headers["if-none-match"] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  headers["content-length"] = body.length;
  res.writeHead(status, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

export function guidePagesHandler(options: GuidePagesOptions = {}): PageHandler {
  const docsDir = options.docsDir ?? packageDocsDir();
  const rules = options.rules ?? allRules;
  const byName = new Map(rules.map((rule) => [rule.meta.name, rule]));
  const cache = new Map<string, Page>();
  const cached = (key: string, build: () => Page): Page => {
    let hit = cache.get(key);
    if (!hit) {
      hit = build();
      cache.set(key, hit);
    }
    return hit;
  };
  let guide: RenderedMarkdown | null = null;
  const renderedGuide = () => (guide ??= renderGuide(docsDir));

  return async (req, res) => {
    const route = routeOf(new URL(req.url ?? "/", "http://localhost").pathname);
    if (route === null) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("Method not allowed\n");
      return true;
    }
    if (route.kind === "redirect") {
      res.writeHead(308, { location: route.location }).end();
      return true;
    }
    if (route.kind === "guide") send(req, res, cached("guide", () => guidePage(renderedGuide())));
    else if (route.kind === "index") send(req, res, cached("index", () => indexPage(rules, renderedGuide())));
    else {
      const rule = byName.get(route.name);
      send(req, res, rule ? cached(`rule:${route.name}`, () => rulePage(docsDir, rule)) : unknownRulePage(route.name));
    }
    return true;
  };
}

/**
 * Adds the pages to the App's HTTP server. Probot.load without a server (the
 * tests, a serverless adapter) passes an addHandler that throws: there the
 * App runs without pages, and says so by returning false.
 */
export function addGuidePages(addHandler: ((handler: PageHandler) => void) | undefined, options?: GuidePagesOptions): boolean {
  if (!addHandler) return false;
  try {
    addHandler(guidePagesHandler(options));
    return true;
  } catch {
    return false;
  }
}
