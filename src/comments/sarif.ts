// SARIF 2.1.0 for GitHub code scanning and other consumers: one run, the
// tool driver lists every rule with its help, results carry UTF-16 columns.
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { Rule } from "../analyzer/rule.js";
import type { Finding, Severity, SkippedFile } from "../analyzer/types.js";
import { guideLink } from "./guide-links.js";

const LEVEL: Record<Severity, Result.level> = { error: "error", warning: "warning", info: "note" };

export interface SarifInput {
  version: string;
  rules: readonly Rule[];
  findings: readonly Finding[];
  skipped?: readonly SkippedFile[];
  guideUrl?: string;
  /** The rule-page URL for a rule name (help URI); defaults to the guide section. */
  rulePage?: (rule: Rule) => string;
}

export function renderSarif(input: SarifInput): Log {
  const rules = input.rules.map((r): ReportingDescriptor => {
    const help = input.rulePage?.(r) ?? guideLink(r.meta.guide, input.guideUrl);
    return {
      id: r.meta.code,
      name: r.meta.name,
      shortDescription: { text: r.docs.summary },
      fullDescription: { text: r.docs.why },
      helpUri: help,
      help: { text: `${r.docs.why}\n\nFix: ${r.docs.fix}\n\nMore: ${help}`, markdown: `${r.docs.why}\n\n**Fix:** ${r.docs.fix}\n\n[Read more](${help})` },
      defaultConfiguration: { level: r.meta.severity === "off" ? "none" : LEVEL[r.meta.severity], enabled: r.meta.severity !== "off" },
      properties: { tags: ["asyncio", "python"], ...(r.meta.aliases.length ? { aliases: [...r.meta.aliases] } : {}) },
    };
  });
  const index = new Map(input.rules.map((r, i) => [r.meta.code, i]));
  const results = input.findings.map((f): Result => {
    const region = { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn };
    const result: Result = {
      ruleId: f.code,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: f.path, uriBaseId: "%SRCROOT%" }, region } }],
      partialFingerprints: { loopguardFinding: `${f.code}:${f.path}:${f.line}` },
    };
    const ruleIndex = index.get(f.code);
    if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
    if (f.fix) {
      result.fixes = [
        {
          description: { text: f.fix.description },
          artifactChanges: [
            {
              artifactLocation: { uri: f.path, uriBaseId: "%SRCROOT%" },
              replacements: f.fix.edits.map((e) => ({
                deletedRegion: { startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn },
                insertedContent: { text: e.text },
              })),
            },
          ],
        },
      ];
    }
    return result;
  });
  return {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: {
          driver: {
            name: "loopguard",
            version: input.version,
            semanticVersion: input.version,
            informationUri: "https://github.com/loopguard/loopguard",
            rules,
          },
        },
        columnKind: "utf16CodeUnits",
        originalUriBaseIds: { "%SRCROOT%": { uri: "file:///" } },
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: (input.skipped ?? []).map((s) => ({
              level: "note" as const,
              message: { text: `Skipped ${s.path}: ${s.reason}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: s.path, uriBaseId: "%SRCROOT%" } } }],
            })),
          },
        ],
      },
    ],
  };
}
