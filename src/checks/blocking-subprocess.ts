import type { Node } from "../analyzer/parser.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { callArguments, describeCall, methodCall } from "./shared/calls.js";
import { calledBeforeThreadNote, callableText, threadAdvice } from "./shared/threads.js";

/** What a blocking process call does, which decides the wording and the advice. */
interface ProcessCall {
  /** `runs`: starts a process and waits for its end; `starts`: forks and execs it; `waits`: waits for one. */
  action: "runs" | "starts" | "waits";
  /** A shell command line: the asyncio equivalent is `create_subprocess_shell`. */
  shell: boolean;
}

const RUNS: ProcessCall = { action: "runs", shell: false };
const RUNS_SHELL: ProcessCall = { action: "runs", shell: true };
const STARTS: ProcessCall = { action: "starts", shell: false };
const STARTS_SHELL: ProcessCall = { action: "starts", shell: true };
const WAITS: ProcessCall = { action: "waits", shell: false };

const BLOCKING_FUNCTIONS: ReadonlyMap<string, ProcessCall> = new Map([
  ...["run", "call", "check_call", "check_output"].map((f): [string, ProcessCall] => [`subprocess.${f}`, RUNS]),
  ...["getoutput", "getstatusoutput"].map((f): [string, ProcessCall] => [`subprocess.${f}`, RUNS_SHELL]),
  ["subprocess.Popen", STARTS],
  ["os.system", RUNS_SHELL],
  ["os.popen", STARTS_SHELL],
  ["os.posix_spawn", STARTS],
  ["os.posix_spawnp", STARTS],
  ...["l", "le", "lp", "lpe", "v", "ve", "vp", "vpe"].map((s): [string, ProcessCall] => [`os.spawn${s}`, STARTS]),
  ...["wait", "wait3", "wait4", "waitid", "waitpid"].map((f): [string, ProcessCall] => [`os.${f}`, WAITS]),
]);

/** Methods of a `Popen` that wait for the process. */
const POPEN_WAITS = new Set(["wait", "communicate"]);

export default defineRule({
  meta: {
    code: "LG103",
    name: "blocking-subprocess",
    severity: "error",
    guide: "pitfall-1-blocking-the-event-loop",
    aliases: ["ASYNC220", "ASYNC221", "ASYNC222"],
    fixable: "never",
  },
  docs: {
    summary: "Starting or waiting for a process with `subprocess`/`os` inside a coroutine.",
    why: "`subprocess.run()`, `os.system()` and `Popen.wait()` wait on the event loop's thread until the child process ends, and even starting one (`Popen`, `os.spawn*`) forks the interpreter there. No other task runs while a build, a `git` command or a slow script does.",
    fix: "Use `await asyncio.create_subprocess_exec(...)` (or `create_subprocess_shell` for a shell command line) and `await proc.communicate()`; the loop keeps running while the process works.",
    bad: ["import subprocess\n\nasync def build():\n    subprocess.run(['make', 'all'], check=True)\n"],
    good: [
      "import asyncio\n\nasync def build():\n    proc = await asyncio.create_subprocess_exec('make', 'all')\n    await proc.wait()\n",
      "import asyncio\nimport subprocess\n\nasync def build():\n    await asyncio.to_thread(subprocess.run, ['make', 'all'], check=True)\n",
      "import subprocess\n\nasync def build():\n    def run_make():\n        subprocess.run(['make', 'all'], check=True)\n    return run_make\n",
    ],
    limitations:
      "`wait()` and `communicate()` are recognised on a `Popen` whose type is known locally (created in the function, `with subprocess.Popen(...) as p`, an annotated parameter, or a `self.<name>` assigned one in the class); each is its own finding, besides the one for starting the process.",
  },
  visit: {
    call(node, ctx) {
      if (!ctx.isInCoroutine(node)) return;
      const kind = processCall(ctx, node);
      if (!kind) return;
      ctx.report({ node, message: message(ctx, node, kind) });
    },
  },
});

function processCall(ctx: RuleContext, call: Node): ProcessCall | null {
  const q = ctx.calleeName(call);
  const known = q ? BLOCKING_FUNCTIONS.get(q) : undefined;
  if (q && known) return refine(call, q, known);
  const m = methodCall(call);
  // Ask for the receiver's type only for the methods that wait.
  if (!m || !POPEN_WAITS.has(m.method)) return null;
  return ctx.typeOf(m.receiver) === "subprocess.Popen" ? WAITS : null;
}

/** `shell=True` makes a shell command line; `os.spawn*(os.P_WAIT, ...)` also waits for the process. */
function refine(call: Node, qualified: string, known: ProcessCall): ProcessCall {
  if (known.action === "waits") return known;
  const { positional, keywords } = callArguments(call);
  const shell = known.shell || keywords.get("shell")?.type === "true";
  const mode = keywords.get("mode") ?? positional[0];
  const waits = qualified.startsWith("os.spawn") && /(^|\.)P_WAIT$/.test(mode?.text ?? "");
  return { action: waits ? "runs" : known.action, shell };
}

function message(ctx: RuleContext, call: Node, kind: ProcessCall): string {
  const where = ctx.describeScope(call);
  const thread = threadAdvice(ctx, callableText(call));
  const note = calledBeforeThreadNote(ctx, call);
  if (kind.action === "waits") {
    return `${describeCall(call)} waits for a child process on the event loop's thread in ${where}, so no other task runs until the process exits: start it with \`asyncio.create_subprocess_exec\` and \`await proc.wait()\` (or \`await proc.communicate()\`), or use ${thread}.${note}`;
  }
  const what = kind.action === "runs" ? "runs a process to its end" : "forks and starts a process";
  const factory = kind.shell ? "create_subprocess_shell" : "create_subprocess_exec";
  return `${describeCall(call)} ${what} on the event loop's thread in ${where}, and every other task waits for it: use \`await asyncio.${factory}(...)\` and await the process, or ${thread}.${note}`;
}
