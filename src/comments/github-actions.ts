// GitHub Actions workflow commands (`::error file=...::message`), so a plain
// Actions job shows findings as annotations without a SARIF upload.
import type { Finding, Severity } from "../analyzer/types.js";

const COMMAND: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

// Workflow-command escaping: data and property values differ (properties also escape `:` and `,`).
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function renderGithubActions(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const props = [
        `file=${escapeProperty(f.path)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
        `title=${escapeProperty(`${f.code} ${f.name}`)}`,
      ].join(",");
      return `::${COMMAND[f.severity]} ${props}::${escapeData(`${f.message} (${f.guide})`)}\n`;
    })
    .join("");
}
