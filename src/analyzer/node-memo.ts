// Remembers what the rules read from syntax nodes. web-tree-sitter answers
// every `node.type`, `node.parent` or `node.childForFieldName()` with a call
// into wasm and a fresh Node object, and the rules ask the same questions of
// the same nodes many times over (profiled: a third of a scan). A tree never
// changes once parsed (`Tree.edit` is only applied to copies, which are new
// Tree objects), so each answer can be kept on the Node object that was asked.
// Nodes are not made unique per tree: keeping every node of a file alive in a
// table cost more in garbage collection than it saved (measured).
import { Node } from "web-tree-sitter";

/** What has been read from one node; `undefined` = not asked yet. */
class Memo {
  type: string | undefined = undefined;
  endIndex = -1;
  text: string | undefined = undefined;
  parent: Node | null | undefined = undefined;
  fields: (Node | null | undefined)[] | null = null;
  child: (Node | null | undefined)[] | null = null;
  namedChild: (Node | null | undefined)[] | null = null;
}

const MEMO = Symbol("loopguard.memo");

type MemoNode = Node & { [MEMO]?: Memo };

function memoOf(node: Node): Memo {
  const n = node as MemoNode;
  let m = n[MEMO];
  if (!m) {
    m = new Memo();
    n[MEMO] = m;
  }
  return m;
}

let installed = false;

/** Wraps the Node reads the analyzer uses with memoised versions (once per process). */
export function installNodeMemo(): void {
  if (installed) return;
  installed = true;
  const proto = Node.prototype;
  const getter = (name: string) => {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (!d?.get) throw new Error(`web-tree-sitter Node has no getter ${name}`);
    return d.get as (this: Node) => unknown;
  };
  const method = <A extends unknown[], R>(name: keyof Node) => proto[name] as unknown as (this: Node, ...args: A) => R;

  const type = getter("type") as (this: Node) => string;
  const endIndex = getter("endIndex") as (this: Node) => number;
  const text = getter("text") as (this: Node) => string;
  const parent = getter("parent") as (this: Node) => Node | null;
  const childForFieldId = method<[number], Node | null>("childForFieldId");
  const child = method<[number], Node | null>("child");
  const namedChild = method<[number], Node | null>("namedChild");

  const define = (name: string, get: (this: Node) => unknown) =>
    Object.defineProperty(proto, name, { get, configurable: true, enumerable: false });
  define("type", function (this: Node) {
    const m = memoOf(this);
    return (m.type ??= type.call(this));
  });
  define("endIndex", function (this: Node) {
    const m = memoOf(this);
    if (m.endIndex < 0) m.endIndex = endIndex.call(this);
    return m.endIndex;
  });
  define("text", function (this: Node) {
    const m = memoOf(this);
    return (m.text ??= text.call(this));
  });
  define("parent", function (this: Node) {
    const m = memoOf(this);
    if (m.parent === undefined) m.parent = parent.call(this);
    return m.parent;
  });

  const indexed = (slot: "fields" | "child" | "namedChild", read: (this: Node, i: number) => Node | null) =>
    function (this: Node, i: number): Node | null {
      const m = memoOf(this);
      const table = (m[slot] ??= []);
      let found = table[i];
      if (found === undefined) {
        found = read.call(this, i);
        table[i] = found;
      }
      return found;
    };
  proto.childForFieldId = indexed("fields", childForFieldId);
  proto.child = indexed("child", child);
  proto.namedChild = indexed("namedChild", namedChild);

  // The original looks the field's id up with indexOf on every call.
  const fieldIds = new WeakMap<object, Map<string, number>>();
  proto.childForFieldName = function (this: Node, name: string): Node | null {
    const language = this.tree.language;
    let ids = fieldIds.get(language);
    if (!ids) {
      ids = new Map();
      fieldIds.set(language, ids);
    }
    let id = ids.get(name);
    if (id === undefined) {
      id = language.fields.indexOf(name);
      ids.set(name, id);
    }
    return id === -1 ? null : this.childForFieldId(id);
  };
}
