import type { Node } from "../analyzer/parser.js";
import { supportsPython } from "../analyzer/project.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { describeCall, methodCall } from "./shared/calls.js";

export default defineRule({
  meta: {
    code: "LG108",
    name: "configured-blocking-call",
    // Reports nothing until the project lists calls under `blockingCalls`.
    severity: "warning",
    guide: "pitfall-1-blocking-the-event-loop",
    aliases: [],
    fixable: "never",
  },
  docs: {
    summary: "A call the project configured as blocking (`blockingCalls`) made inside a coroutine.",
    why: "Every codebase has its own blocking calls: a synchronous database layer, a vendor SDK, an internal RPC client. Called from a coroutine they stop the event loop just like `time.sleep()`, and no built-in list can know them.",
    fix: "Follow the advice configured with the pattern: usually an async alternative, or `await asyncio.to_thread(...)`.",
    bad: ["import boto3\n\nasync def upload(data):\n    boto3.client('s3').put_object(Bucket='b', Key='k', Body=data)\n"],
    good: [
      "import asyncio\nimport boto3\n\nasync def upload(data):\n    client = await asyncio.to_thread(boto3.client, 's3')\n    await asyncio.to_thread(client.put_object, Bucket='b', Key='k', Body=data)\n",
      "import boto3\n\ndef upload(data):\n    boto3.client('s3').put_object(Bucket='b', Key='k', Body=data)\n",
    ],
    exampleProject: { blockingCalls: [{ pattern: "boto3.client", advice: "use aioboto3, or run it with `asyncio.to_thread`" }] },
    limitations:
      "Reports nothing until configured. Patterns are dotted qualified names matched segment by segment: `*` inside a segment matches any part of that segment (`db.get_*`), and a final `.*` matches everything under the prefix (`mycompany.db.*`). A method called on a value that a call made (`s3 = boto3.client('s3')`, then `s3.get_object()`) is matched as `boto3.client.get_object`.",
  },
  visit: {
    call(node, ctx) {
      const patterns = ctx.project.blockingCalls;
      if (patterns.length === 0 || !ctx.isInCoroutine(node)) return;
      for (const name of candidateNames(node, ctx)) {
        const hit = patterns.find((p) => matchesPattern(p.pattern, name));
        if (!hit) continue;
        const advice = hit.advice.trim() || defaultAdvice(ctx);
        ctx.report({
          node,
          message: `${describeCall(node)} (\`${name}\`) is configured as blocking (\`${hit.pattern}\`) and runs on the event loop in ${ctx.describeScope(node)}: ${advice}.`,
        });
        return;
      }
    },
  },
});

function defaultAdvice(ctx: RuleContext): string {
  const thread = supportsPython(ctx.project, 3, 9) ? "await asyncio.to_thread(...)" : "await loop.run_in_executor(None, ...)";
  return `run it in a thread with \`${thread}\`, or use an async alternative`;
}

/** The qualified names a call is known by: its callee through the imports, and `<type>.<method>` for a typed receiver. */
function candidateNames(call: Node, ctx: RuleContext): string[] {
  const out: string[] = [];
  const q = ctx.calleeName(call);
  if (q) out.push(q);
  const m = methodCall(call);
  const type = m ? ctx.typeOf(m.receiver) : null;
  if (m && type) out.push(`${type}.${m.method}`);
  return out;
}

/**
 * Glob matching over dotted names: each pattern segment matches one name
 * segment (`*` inside it matches any characters of that segment), and a
 * final `*` segment matches one or more remaining segments.
 */
export function matchesPattern(pattern: string, name: string): boolean {
  const ps = pattern.trim().split(".");
  const ns = name.split(".");
  if (ps.length === 0 || ps.some((s) => s === "")) return false;
  const rest = ps[ps.length - 1] === "*";
  const fixed = rest ? ps.slice(0, -1) : ps;
  if (rest ? ns.length <= fixed.length : ns.length !== fixed.length) return false;
  return fixed.every((p, i) => segmentMatches(p, ns[i]!));
}

function segmentMatches(pattern: string, segment: string): boolean {
  if (!pattern.includes("*")) return pattern === segment;
  const re = new RegExp(`^${pattern.split("*").map(escapeRegExp).join("[^.]*")}$`);
  return re.test(segment);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
