import { describe, expect, it } from "vitest";
import { escapeHtml, renderInlineMarkdown, renderMarkdown } from "../../src/web/render-markdown.js";

describe("renderMarkdown", () => {
  it("gives headings GitHub's ids: markup left out, repeats numbered per document", () => {
    const md = "# Guide & `asyncio`\n\n## Pitfall 1: Blocking the Event Loop\n\n### Pattern 2: Fire and Forget with create_task()\n\n## Notes\n\n## Notes\n\n## Notes\n";
    const { headings, title, html } = renderMarkdown(md);
    expect(headings.map((h) => h.id)).toEqual([
      "guide--asyncio",
      "pitfall-1-blocking-the-event-loop",
      "pattern-2-fire-and-forget-with-create_task",
      "notes",
      "notes-1",
      "notes-2",
    ]);
    expect(title).toBe("Guide & asyncio");
    expect(headings[2]).toEqual({ id: "pattern-2-fire-and-forget-with-create_task", depth: 3, text: "Pattern 2: Fire and Forget with create_task()" });
    expect(html).toContain('<h1 id="guide--asyncio">Guide &amp; <code>asyncio</code></h1>');
    expect(html).toContain('<h2 id="notes-2">Notes</h2>');
    // A second document starts counting again.
    expect(renderMarkdown("## Notes\n").headings.map((h) => h.id)).toEqual(["notes"]);
  });

  it("shows raw HTML as text, so a script in the markdown never runs", () => {
    const { html } = renderMarkdown('Intro\n\n<script>alert("block")</script>\n\nInline <img src=x onerror="alert(1)"> and <b>bold</b>.\n');
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain("&lt;script&gt;alert(&quot;block&quot;)&lt;/script&gt;");
    expect(html).toContain("Inline &lt;img src=x onerror=&quot;alert(1)&quot;&gt; and &lt;b&gt;bold&lt;/b&gt;.");
  });

  it("drops an HTML comment, but not a script hidden behind one", () => {
    expect(renderMarkdown("<!-- editors only -->\n\nText\n").html).toBe("<p>Text</p>\n");
    expect(renderMarkdown("<!-- x --><script>alert(1)</script>\n").html).toContain("&lt;script&gt;");
  });

  it("keeps links and images only with safe targets, and rewrites their targets", () => {
    const rewriteHref = (href: string) => href.replace(/\.md/, "");
    const { html } = renderMarkdown('[guide](../guide.md#a "The guide") [bad](javascript:alert(1)) [mail](mailto:a@b.c) ![pic](data:text/html,x)', { rewriteHref });
    expect(html).toContain('<a href="../guide#a" title="The guide">guide</a>');
    expect(html).toContain(" bad ");
    expect(html).not.toContain("javascript:");
    expect(html).toContain('<a href="mailto:a@b.c">mail</a>');
    expect(html).not.toContain("<img");
  });

  it("escapes code", () => {
    expect(renderMarkdown('```python\nx = "<a>"\n```\n').html).toBe('<pre><code class="language-python">x = &quot;&lt;a&gt;&quot;\n</code></pre>\n');
  });
});

describe("renderInlineMarkdown", () => {
  it("renders one line without a paragraph around it", () => {
    expect(renderInlineMarkdown("`time.sleep()` blocks <b>")).toBe("<code>time.sleep()</code> blocks &lt;b&gt;");
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that matter in text and attributes", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
