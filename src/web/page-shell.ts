// The HTML document around each served page: title, a nav back to the guide
// and the rule index, and a little inline CSS for a readable column of text.
import { GUIDE_PATH, RULES_PATH, relativeUrl } from "./doc-links.js";
import { escapeHtml } from "./render-markdown.js";

const STYLE = `
:root { color-scheme: light dark; --muted: #6a737d; --code-bg: rgba(127, 127, 127, 0.14); --rule: rgba(127, 127, 127, 0.35); }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header, main { max-width: 48rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1rem; padding-bottom: 0.5rem; border-bottom: 1px solid var(--rule); }
header nav a { margin-right: 1rem; }
main { padding-bottom: 4rem; }
h1, h2, h3, h4 { line-height: 1.25; margin-top: 1.8em; scroll-margin-top: 1rem; }
h1 { margin-top: 1em; }
:target { background: rgba(255, 212, 59, 0.25); }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: var(--code-bg); padding: 0.8em 1em; overflow-x: auto; border-radius: 6px; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; width: 100%; }
td { overflow-wrap: anywhere; }
td:first-child { white-space: nowrap; }
th, td { border: 1px solid var(--rule); padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
blockquote { margin-left: 0; padding-left: 1em; border-left: 4px solid var(--rule); color: var(--muted); }
`;

export interface PageInput {
  /** The served path of this page, from which the nav links are made relative. */
  path: string;
  title: string;
  /** The page's body, already HTML. */
  body: string;
}

export function renderPage({ path, title, body }: PageInput): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} · loopguard</title>`,
    // An empty icon, so the browser asks for no /favicon.ico the App does not have.
    '<link rel="icon" href="data:,">',
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<header>",
    '<nav aria-label="loopguard docs">',
    `<a href="${escapeHtml(relativeUrl(path, GUIDE_PATH))}">Async guide</a>`,
    `<a href="${escapeHtml(relativeUrl(path, RULES_PATH))}">All rules</a>`,
    "</nav>",
    "</header>",
    "<main>",
    body,
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
