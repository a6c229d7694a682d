import { describe, expect, it } from "vitest";
import { descriptionFormat, renderDescription } from "@/lib/readme";

/** Every tag in sanitized output. Text `<` and `>` are always escaped there, so this finds exactly the markup. */
function tagsOf(html: string): string[] {
  return html.match(/<[^>]*>/g) ?? [];
}

/** A tag as a browser would read its attributes: entities decoded, and the whitespace URL parsers skip removed. */
function decodedTag(tag: string): string {
  return tag
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&colon;/gi, ":")
    .replace(/&(?:tab|newline);/gi, "")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/[\s\0-\x1f]/g, "")
    .toLowerCase();
}

function tagNames(html: string): string[] {
  return tagsOf(html).map((tag) => /^<\/?([a-z0-9-]+)/i.exec(tag)?.[1]?.toLowerCase() ?? tag);
}

/** Markup that must never survive in any format: as tags, or as attributes a browser would act on. */
function expectInert(html: string): void {
  const lower = html.toLowerCase();
  for (const element of ["<script", "<iframe", "<svg", "<math", "<form", "<base", "<meta", "<object", "<embed"]) {
    expect(lower, element).not.toContain(element);
  }
  for (const element of ["<style", "<link", "<input", "<button", "<textarea", "<frame", "<template"]) {
    expect(lower, element).not.toContain(element);
  }
  for (const tag of tagsOf(html).map(decodedTag)) {
    for (const needle of ["javascript:", "vbscript:", "data:", "onerror", "onload", "style=", "target=", "srcdoc"]) {
      expect(tag, needle).not.toContain(needle);
    }
    expect(tag).not.toMatch(/\son[a-z]+=/);
  }
}

const HOSTILE = `Intro text stays.

<script>alert(1); stealCookies()</script>
<style>body { display: none }</style>

[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](&#106;avascript:alert(1))

<a href="javascript:alert(1)">plain js</a>
<a href="JaVaScRiPt:alert(1)">mixed case</a>
<a href="&#106;avascript:alert(1)">decimal entity</a>
<a href="&#x6A;&#x61;vascript&#58;alert(1)">hex entity</a>
<a href="java&#9;script:alert(1)">tab split</a>
<a href=" javascript:alert(1)">leading space</a>
<a href="vbscript:msgbox(1)">vbscript</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>
[d](data:text/html,<script>alert(1)</script>)
![i](javascript:alert(1))
<javascript:alert(1)>
<img src=x onerror=alert(1)>
<img src="data:text/html,x" alt="data image">
<iframe src="https://evil.example">framed</iframe>
<svg onload=alert(1)><circle/></svg>
<math><mi xlink:href="javascript:alert(1)">m</mi></math>
<p style="background:url(javascript:alert(1))" onclick="alert(1)">styled</p>
<form action="https://evil.example"><input name=x><button formaction="javascript:alert(1)">go</button></form>
<base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">
<a href="https://example.com/" target="_blank" onmouseover="alert(1)">safe link</a>

[ref]: javascript:alert(1)

Outro text stays.
`;

const ALL_CONTENT_TYPES = [
  "text/markdown",
  "text/markdown; charset=UTF-8; variant=GFM",
  "text/markdown; variant=CommonMark",
  "text/x-rst",
  null,
  "text/plain",
  "application/x-unknown",
];

describe("descriptionFormat", () => {
  it.each([
    ["text/markdown", "markdown"],
    ["text/markdown; charset=UTF-8; variant=GFM", "markdown"],
    ["Text/Markdown ; variant=CommonMark", "markdown"],
    ["text/x-rst", "rst"],
    ["text/x-rst; charset=UTF-8", "rst"],
    [null, "rst"],
    ["", "rst"],
    ["text/plain", "plain"],
    ["text/html", "plain"],
    ["application/json", "plain"],
  ] as const)("%j → %s", (contentType, expected) => {
    expect(descriptionFormat(contentType)).toBe(expected);
    expect(renderDescription("x", contentType).format).toBe(expected);
  });
});

describe("renderDescription: hostile input", () => {
  it.each(ALL_CONTENT_TYPES)("renders nothing executable for %j and keeps the harmless text", (contentType) => {
    const { html } = renderDescription(HOSTILE, contentType);
    expectInert(html);
    expect(html).toContain("Intro text stays.");
    expect(html).toContain("Outro text stays.");
  });

  const markdownTypes = ["text/markdown", "text/markdown; variant=CommonMark"];
  it.each(markdownTypes)("keeps raw HTML's text, not its danger (%s)", (type) => {
    const { html } = renderDescription(HOSTILE, type);
    for (const text of ["plain js", "mixed case", "decimal entity", "hex entity", "tab split", "data link", "styled"]) {
      expect(html).toContain(text);
    }
    expect(html).toContain('<a href="https://example.com/" rel="nofollow ugc noopener">safe link</a>');
    // Script and style bodies are code, not prose: they go with their tags.
    expect(html).not.toContain("stealCookies");
    expect(html).not.toContain("display: none");
  });

  it("shows hostile text in plain text escaped, inside one <pre>", () => {
    const { html, format } = renderDescription(HOSTILE, "text/plain");
    expect(format).toBe("plain");
    expect(tagNames(html)).toEqual(["pre", "pre"]);
    expect(html).toContain("&lt;script&gt;alert(1); stealCookies()&lt;/script&gt;");
  });

  it("never turns RST source into markup it did not write", () => {
    const { html } = renderDescription(HOSTILE, "text/x-rst");
    expect(html).toContain("&lt;script&gt;alert(1); stealCookies()&lt;/script&gt;");
    expect(new Set(tagNames(html))).toEqual(new Set(["p", "a"]));
  });

  it("drops dangerous URLs from RST links, images and raw directives", () => {
    const rst = [
      "Before.",
      "",
      "`click <javascript:alert(1)>`_ and `data <data:text/html,<b>x</b>>`_ and evil_ and `vb <VBScript:x>`__",
      "",
      ".. _evil: javascript:alert(1)",
      "__ vbscript:x",
      "",
      ".. image:: javascript:alert(1)",
      "   :target: javascript:alert(2)",
      "   :alt: broken",
      "",
      "|badge|",
      "",
      ".. |badge| image:: data:image/svg+xml,<svg onload=alert(1)>",
      "   :target: javascript:alert(3)",
      "",
      ".. raw:: html",
      "",
      "   <script>stolen()</script>",
      "",
      "After.",
    ].join("\n");
    const { html, format } = renderDescription(rst, "text/x-rst");
    expect(format).toBe("rst");
    expectInert(html);
    expect(html).toContain("Before.");
    expect(html).toContain("After.");
    expect(html).toContain("click");
    expect(html).not.toContain("stolen()");
  });

  it("adds rel=nofollow to every link and strips target", () => {
    const md =
      'See [docs](https://docs.example/) and https://auto.example/x and <a href="/rel" target="_top" rel="me">r</a>.';
    const { html } = renderDescription(md, "text/markdown");
    const anchors = tagsOf(html).filter((tag) => tag.startsWith("<a "));
    expect(anchors).toHaveLength(3);
    for (const anchor of anchors) {
      expect(anchor).toContain('rel="nofollow ugc noopener"');
      expect(anchor).not.toContain("target");
    }
    expect(html).toContain('href="/rel"');
  });

  it("keeps only absolute http(s) images, showing others' alt text", () => {
    const md = [
      "![badge](https://img.example/b.svg)",
      '<img src="http://img.example/p.png" width="20" height="10" style="x" alt="plain http">',
      '<img src="logo.png" alt="relative logo">',
      '<img src="//cdn.example/x.png" alt="protocol relative">',
      '<img src="data:image/png;base64,AAAA" alt="inline data">',
    ].join("\n\n");
    const { html } = renderDescription(md, "text/markdown");
    const images = tagsOf(html).filter((tag) => tag.startsWith("<img"));
    expect(images).toEqual([
      '<img src="https://img.example/b.svg" alt="badge" />',
      '<img src="http://img.example/p.png" width="20" height="10" alt="plain http" />',
    ]);
    for (const alt of ["relative logo", "protocol relative", "inline data"]) {
      expect(html).toContain(`<span>${alt}</span>`);
    }
  });

  it("namespaces ids and same-page links so a README cannot collide with the page's own", () => {
    const md = '<h2 id="files">Files</h2>\n\n<div id="__next">x</div>\n\n[jump](#files) [top](#)';
    const { html } = renderDescription(md, "text/markdown");
    expect(html).toContain('<h2 id="user-content-files">Files</h2>');
    expect(html).toContain('href="#user-content-files"');
    expect(html).toContain('href="#"');
    expect(html).not.toContain('id="__next"');
  });

  it("filters classes to code-highlighting ones", () => {
    const md = [
      '<pre class="language-py hidden"><code class="language-py sr-only">x</code></pre>',
      '<div class="fixed-overlay">y</div>',
    ].join("\n\n");
    const { html } = renderDescription(md, "text/markdown");
    expect(html).toContain('<pre class="language-py"><code class="language-py">x</code></pre>');
    expect(html).toContain("<div>y</div>");
  });
});

describe("renderDescription: Markdown", () => {
  const md = [
    "# My Project",
    "",
    "Intro with `inline code`, **bold**, ~~old~~ and https://example.org/page.",
    "Mentions setup.py and example.com without linking them.",
    "",
    "## Install & Use!",
    "",
    "```python",
    'print("<hi>")',
    "```",
    "",
    "| Name | Value |",
    "|:-----|------:|",
    "| a    | 1     |",
    "",
    "<details open><summary>More</summary>",
    "",
    "Hidden *text*.",
    "",
    "</details>",
    "",
    "- [Install](#install--use)",
  ].join("\n");
  const { html, format } = renderDescription(md, "text/markdown; charset=UTF-8; variant=GFM");

  it("reports the format", () => {
    expect(format).toBe("markdown");
  });

  it("renders headings with GitHub-style ids", () => {
    expect(html).toContain('<h1 id="user-content-my-project">My Project</h1>');
    expect(html).toContain('<h2 id="user-content-install--use">Install &amp; Use!</h2>');
    expect(html).toContain('<a href="#user-content-install--use" rel="nofollow ugc noopener">Install</a>');
  });

  it("renders fenced code with its language class, escaped", () => {
    expect(html).toContain('<pre><code class="language-python">print("&lt;hi&gt;")');
  });

  it("renders GFM tables and strikethrough", () => {
    expect(html).toContain("<table>");
    expect(html).toMatch(/<th align="left">Name<\/th>\s*<th align="right">Value<\/th>/);
    expect(html).toMatch(/<td align="left">a<\/td>/);
    expect(html).toContain("<s>old</s>");
  });

  it("renders inline markup and linkifies explicit URLs only", () => {
    expect(html).toContain("<code>inline code</code>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain(
      '<a href="https://example.org/page" rel="nofollow ugc noopener">https://example.org/page</a>',
    );
    expect(html).not.toContain('href="http://setup.py"');
    expect(html).toContain("Mentions setup.py and example.com without linking them.");
  });

  it("keeps safe raw HTML such as <details open><summary>", () => {
    expect(html).toContain("<details open><summary>More</summary>");
    expect(html).toContain("<p>Hidden <em>text</em>.</p>");
    expect(html).toContain("</details>");
  });
});

describe("renderDescription: reStructuredText", () => {
  const rst = [
    "==========",
    " Overlined",
    "==========",
    "",
    ".. image:: https://img.example/badge.svg",
    "   :target: https://ci.example/",
    "   :alt: CI status",
    "",
    "|pypi| |docs|",
    "",
    ".. |pypi| image:: https://img.example/pypi.svg",
    "   :target: https://pypi.example/project/",
    ".. |docs| replace:: the documentation",
    "",
    "A *small* library for **fast** things, with ``literal <code>`` text.",
    "See `Installation`_, `the guide <https://guide.example/>`_, docs_, `anonymous`__ and https://bare.example/x.",
    "Write to dev@example.com; \\*not emphasis\\*; :code:`f(x)`; :pep:`8`; `default role`.",
    "",
    ".. _docs: https://docs.example/",
    "__ https://anon.example/",
    "",
    ".. A comment that must not show.",
    "   Still the comment.",
    "",
    "Installation",
    "============",
    "",
    "- first item",
    "- second item",
    "  continues here",
    "",
    "3. third",
    "4. fourth",
    "",
    "#. auto one",
    "#. auto two",
    "",
    "Run this::",
    "",
    "    pip install <thing>",
    "    echo done",
    "",
    ".. code-block:: python",
    "   :linenos:",
    "",
    "   def f():",
    "       return 1",
    "",
    ".. note:: Mind the gap.",
    "",
    "   Second paragraph of the note.",
    "",
    ".. unknown-directive:: argument",
    "",
    "   Unknown directive body.",
    "",
    "Usage",
    "-----",
    "",
    "Term",
    "    Its definition.",
    "",
    ">>> 1 + 1",
    "2",
    "",
    "Details",
    "~~~~~~~",
    "",
    "Changelog",
    "=========",
    "",
    "----",
    "",
    "The end.",
  ].join("\n");
  const { html, format } = renderDescription(rst, "text/x-rst");

  it("reports the format", () => {
    expect(format).toBe("rst");
  });

  it("assigns heading levels in order of first appearance", () => {
    expect(html).toContain('<h1 id="user-content-overlined">Overlined</h1>');
    expect(html).toContain('<h2 id="user-content-installation">Installation</h2>');
    expect(html).toContain('<h3 id="user-content-usage">Usage</h3>');
    expect(html).toContain('<h4 id="user-content-details">Details</h4>');
    // "=" underlined was seen second, so it stays h2 even after "-" and "~".
    expect(html).toContain('<h2 id="user-content-changelog">Changelog</h2>');
  });

  it("renders paragraphs and inline markup", () => {
    expect(html).toContain(
      "<p>A <em>small</em> library for <strong>fast</strong> things, with <code>literal &lt;code&gt;</code> text.",
    );
    expect(html).toContain("*not emphasis*");
    expect(html).toContain("<code>f(x)</code>");
    expect(html).toContain("<em>default role</em>");
    expect(html).toContain('<a href="https://peps.python.org/pep-0008/" rel="nofollow ugc noopener">PEP 8</a>');
  });

  it("resolves embedded, named, anonymous, section and standalone links", () => {
    const link = (href: string, text: string) => `<a href="${href}" rel="nofollow ugc noopener">${text}</a>`;
    expect(html).toContain(link("#user-content-installation", "Installation"));
    expect(html).toContain(link("https://guide.example/", "the guide"));
    expect(html).toContain(link("https://docs.example/", "docs"));
    expect(html).toContain(link("https://anon.example/", "anonymous"));
    expect(html).toContain(link("https://bare.example/x", "https://bare.example/x"));
    expect(html).toContain(link("mailto:dev@example.com", "dev@example.com"));
  });

  it("renders images and substitutions, linked to their targets", () => {
    const linked = (href: string, img: string) => `<a href="${href}" rel="nofollow ugc noopener">${img}</a>`;
    const ci = '<img src="https://img.example/badge.svg" alt="CI status" />';
    const pypi = '<img src="https://img.example/pypi.svg" alt="pypi" />';
    expect(html).toContain(linked("https://ci.example/", ci));
    expect(html).toContain(linked("https://pypi.example/project/", pypi));
    expect(html).toContain("the documentation");
  });

  it("renders bullet and enumerated lists", () => {
    expect(html).toMatch(/<ul>\s*<li>first item<\/li>\s*<li>second item\ncontinues here<\/li>\s*<\/ul>/);
    expect(html).toMatch(
      /<ol start="3">\s*<li>third<\/li>\s*<li>fourth<\/li>\s*<li>auto one<\/li>\s*<li>auto two<\/li>\s*<\/ol>/,
    );
  });

  it("renders literal blocks and code-block directives as escaped <pre><code>", () => {
    expect(html).toContain("<p>Run this:</p>");
    expect(html).toContain("<pre><code>pip install &lt;thing&gt;\necho done</code></pre>");
    expect(html).toContain('<pre><code class="language-python">def f():\n    return 1</code></pre>');
    expect(html).toContain('<pre><code class="language-pycon">&gt;&gt;&gt; 1 + 1\n2</code></pre>');
    expect(html).not.toContain("linenos");
  });

  it("keeps directive content, drops comments, and renders definitions and transitions", () => {
    expect(html).toContain("<strong>Note</strong>");
    expect(html).toContain("<p>Mind the gap.</p>");
    expect(html).toContain("<p>Second paragraph of the note.</p>");
    expect(html).toContain("<p>Unknown directive body.</p>");
    expect(html).not.toContain("comment");
    expect(html).toMatch(/<dt>Term<\/dt>\s*<dd>Its definition.<\/dd>/);
    expect(html).toMatch(/<hr \/>\s*<p>The end.<\/p>/);
  });

  it("treats a missing content type as RST", () => {
    const { html: fromNull, format: nullFormat } = renderDescription(rst, null);
    expect(nullFormat).toBe("rst");
    expect(fromNull).toBe(html);
  });

  it("renders text without RST structure as paragraphs", () => {
    const text = "Just a description.\nIt wraps over lines & uses <angle> brackets.\n\nA second paragraph.";
    expect(renderDescription(text, null)).toEqual({
      html:
        "<p>Just a description.\nIt wraps over lines &amp; uses &lt;angle&gt; brackets.</p>\n" +
        "<p>A second paragraph.</p>",
      format: "rst",
    });
  });
});

describe("renderDescription: plain text", () => {
  it("escapes markup inside a <pre>", () => {
    const { html, format } = renderDescription("Use <b>bold</b> & *stars*\n  indented", "text/plain");
    expect(format).toBe("plain");
    expect(html).toBe("<pre>Use &lt;b&gt;bold&lt;/b&gt; &amp; *stars*\n  indented</pre>");
  });

  it("shows unknown content types as plain text", () => {
    expect(renderDescription("# Not a heading", "text/x-unknown")).toEqual({
      html: "<pre># Not a heading</pre>",
      format: "plain",
    });
  });
});

describe("renderDescription: robustness", () => {
  it.each([null, "", "   \n\t\n"])("renders %j as nothing", (text) => {
    for (const contentType of ALL_CONTENT_TYPES) expect(renderDescription(text, contentType).html).toBe("");
  });

  it("never throws on random markup-heavy input", () => {
    // A fixed LCG, so a failure reproduces.
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = [
      "*",
      "**",
      "`",
      "``",
      "_",
      "__",
      "|",
      ":",
      "::",
      "..",
      ".. ",
      "-",
      "=",
      "~",
      "#",
      "[",
      "]",
      "(",
      ")",
      "<",
      ">",
      "\n",
      "\n\n",
      "  ",
      "\t",
      "\\",
      "a",
      "word",
      "1.",
      "#.",
      "- ",
      ">>> ",
      "+--+",
      "=== ===",
      "http://x.example/",
      "<div>",
      "</div>",
      "<script>",
      "&#",
      ";",
      "\0",
      "\uFEFF",
      "\r",
      "é",
      "😀",
      ".. image:: ",
      ":target: ",
      "|x|_",
    ];
    for (let round = 0; round < 300; round++) {
      let text = "";
      const length = Math.floor(random() * 200);
      for (let k = 0; k < length; k++) text += pieces[Math.floor(random() * pieces.length)] ?? "";
      for (const contentType of ALL_CONTENT_TYPES) {
        const { html } = renderDescription(text, contentType);
        expect(typeof html).toBe("string");
        expect(html.toLowerCase()).not.toContain("<script");
      }
    }
  });

  it("renders a README of a few hundred KB in every format, in time that grows linearly with its size", () => {
    const section = (n: number) =>
      [
        `Section ${n}`,
        "----------",
        "",
        `Some *text* with \`\`code\`\`, **bold** and a \`link <https://example.com/${n}>\`_`,
        `or https://example.org/${n}.`,
        "",
        "- item one",
        "- item two",
        "",
        "Example::",
        "",
        "    print('hello')",
        "",
        "```python",
        "x = 1",
        "```",
        "",
        "| a | b |",
        "|---|---|",
        "| 1 | 2 |",
        "",
      ].join("\n");
    const readme = (sections: number) =>
      Array.from({ length: sections }, (_, n) => section(n)).join("\n") + "\nThe very last line.\n";
    expect(readme(1500).length).toBeGreaterThan(300_000);
    for (const contentType of ["text/markdown", "text/x-rst", "text/plain"]) {
      const { html, format } = renderDescription(readme(1500), contentType);
      expect(format).toBe(descriptionFormat(contentType));
      expect(html).toContain("The very last line.");
      expect(html.length).toBeGreaterThan(readme(1500).length / 2);
      expect(
        growth((n) => renderDescription(readme(n), contentType), 200),
        contentType,
      ).toBeLessThan(GROWTH_LIMIT);
    }
  });

  it.each([
    ["unclosed tags", (n: number) => "<div>".repeat(n)],
    ["stray closing tags", (n: number) => "<div></x>".repeat(n)],
    ["nested emphasis", (n: number) => "*".repeat(n) + "a" + "*".repeat(n)],
  ])("falls back to plain text when HTML would nest too deeply to sanitize in time (%s)", (_, hostile) => {
    const { html, format } = renderDescription(`${hostile(200_000)}deep`, "text/markdown");
    expect(format).toBe("plain");
    expect(html.startsWith("<pre>")).toBe(true);
    expect(html).toContain("deep");
    expect(growth((n) => renderDescription(`${hostile(n)}deep`, "text/markdown"), 50_000)).toBeLessThan(GROWTH_LIMIT);
  });

  it("still renders ordinary raw HTML nesting", () => {
    const logo = '<a href="https://x.example/"><img src="https://x.example/l.png" alt="l"></a>';
    const md = `<div align="center">\n<p>${logo}</p>\n</div>\n\n`.repeat(500);
    const { html, format } = renderDescription(md, "text/markdown");
    expect(format).toBe("markdown");
    expect(html.match(/<img /g)).toHaveLength(500);
  });

  it.each([
    ["wide grid tables", (n: number) => `${"+-".repeat(n)}+\n${"| ".repeat(n)}|\n${"+-".repeat(n)}+\n`],
    ["long simple tables", (n: number) => `=== ===\n${"a   b\n".repeat(n)}=== ===\n`],
    ["option lists that fail at the end", (n: number) => `${"-a x, ".repeat(n)}-a x y\n`],
    ["repeated contents directives", (n: number) => ".. contents::\n\nTitle\n=====\n\n".repeat(n)],
  ])("keeps %s in RST linear", (_, hostile) => {
    expect(renderDescription(hostile(20_000), null).html.length).toBeGreaterThan(0);
    expect(growth((n) => renderDescription(hostile(n), null), 5_000)).toBeLessThan(GROWTH_LIMIT);
  });

  it("keeps hostile nesting in RST bounded", () => {
    const { html, format } = renderDescription("- ".repeat(100_000) + "leaf", null);
    expect(format).toBe("rst");
    expect(html).toContain("leaf");
    expect(growth((n) => renderDescription("- ".repeat(n) + "leaf", null), 25_000)).toBeLessThan(GROWTH_LIMIT);
  });
});

// How the renderer's time grows when its input grows 4×: about 4 when linear, 16 when quadratic. The
// two sizes are timed in turn (the fastest of five each), so a busy machine slows both alike: the
// ratio holds where an absolute time limit does not.
const GROWTH_LIMIT = 11;
function growth(render: (size: number) => unknown, size: number): number {
  const time = (n: number) => {
    const started = performance.now();
    render(n);
    return performance.now() - started;
  };
  time(size); // warm up the JIT so the first timing is not the slowest
  let small = Infinity;
  let large = Infinity;
  for (let round = 0; round < 5; round++) {
    small = Math.min(small, time(size));
    large = Math.min(large, time(size * 4));
  }
  // Below 20 ms a timing is mostly the collector's noise: such a render is fast whatever the ratio.
  return large / Math.max(small, 20);
}

describe("renderDescription: reStructuredText as docutils reads it (differences found against readme_renderer)", () => {
  const rst = (source: string) => renderDescription(source, "text/x-rst").html;

  it("renders simple tables as tables, with a header and continuation lines", () => {
    const html = rst("=====  =======\nA      B\n=====  =======\nx      one\n       more\ny      two\n=====  =======\n");
    const table = [
      String.raw`<table>\s*<thead>\s*<tr><th>A</th><th>B</th></tr>\s*</thead>\s*`,
      String.raw`<tbody>\s*<tr><td>x</td><td>one more</td></tr>\s*<tr><td>y</td><td>two</td></tr>`,
    ];
    expect(html).toMatch(new RegExp(table.join("")));
  });

  it("renders grid tables as tables, with column spans", () => {
    const html = rst(
      "+-----+-----+\n| H1  | H2  |\n+=====+=====+\n| a   | b   |\n+-----+-----+\n| wide cell |\n+-----+-----+\n",
    );
    expect(html).toMatch(/<thead>\s*<tr><th>H1<\/th><th>H2<\/th><\/tr>/);
    expect(html).toContain("<tr><td>a</td><td>b</td></tr>");
    expect(html).toContain('<tr><td colspan="2">wide cell</td></tr>');
  });

  it("still shows a grid table with row spans as the author laid it out", () => {
    const table = "+---+---+\n| a | b |\n+   +---+\n|   | c |\n+---+---+";
    expect(rst(table + "\n")).toContain(`<pre><code>${table}</code></pre>`);
  });

  it("renders lettered and roman enumerated lists", () => {
    expect(rst("a. one\nb. two\n")).toMatch(/<ol type="a">\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ol>/);
    expect(rst("(iii) three\n(iv) four\n")).toMatch(
      /<ol type="i" start="3">\s*<li>three<\/li>\s*<li>four<\/li>\s*<\/ol>/,
    );
    expect(rst("h. eight\ni. nine\n")).toMatch(/<ol type="a" start="8">\s*<li>eight<\/li>\s*<li>nine<\/li>\s*<\/ol>/);
  });

  it("starts a new list where docutils does: after auto-numbered items, or at a gap in the numbers", () => {
    expect(rst("#. a\n#. b\n\n3. c\n").match(/<ol/g)).toHaveLength(2);
    expect(rst("1. a\n\n3. b\n").match(/<ol/g)).toHaveLength(2);
    expect(rst("3. a\n4. b\n#. c\n").match(/<ol/g)).toHaveLength(1);
  });

  it("shows a block quote's attribution after an em dash, and field names with their colon", () => {
    expect(rst("Text.\n\n    Quoted.\n\n    -- Someone\n")).toContain("<p>\u2014Someone</p>");
    expect(rst(":Author: Jane\n")).toMatch(/<dt>Author:<\/dt>\s*<dd>Jane<\/dd>/);
  });

  it("renders option lists as a definition list of options, and leaves prose that starts with a dash alone", () => {
    const html = rst("-a, --all     Output all.\n--out=FILE    Write to FILE,\n              not stdout.\n");
    const options = [
      String.raw`<dl>\s*<dt><kbd>-a, --all</kbd></dt>\s*<dd>Output all.</dd>\s*`,
      String.raw`<dt><kbd>--out=FILE</kbd></dt>\s*<dd>Write to FILE,\nnot stdout.</dd>`,
    ];
    expect(html).toMatch(new RegExp(options.join("")));
    expect(rst("-5 degrees is cold\n")).toBe("<p>-5 degrees is cold</p>");
  });

  it("renders a contents directive as links to the titles after it, nested by level", () => {
    const html = rst(
      "Guide\n=====\n\n.. contents:: On this page\n\nInstall\n-------\n\nFrom PyPI\n~~~~~~~~~\n\nUse\n---\n\nText.\n",
    );
    const contents = [
      String.raw`<div>\s*<p>On this page</p>\s*<ul>\s*`,
      String.raw`<li><a href="#user-content-install"[^>]*>Install</a>\s*<ul>\s*`,
      String.raw`<li><a href="#user-content-from-pypi"[^>]*>From PyPI</a></li>\s*</ul></li>\s*`,
      String.raw`<li><a href="#user-content-use"[^>]*>Use</a></li>\s*</ul>\s*</div>`,
    ];
    expect(html).toMatch(new RegExp(contents.join("")));
    expect(html).toContain('<h2 id="user-content-install">Install</h2>');
  });

  it("renders a line block as lines, not a paragraph, and a block image without a paragraph around it", () => {
    expect(rst("| one\n| two\n")).toContain("<div>one<br />\ntwo</div>");
    expect(rst(".. image:: https://img.example/x.png\n")).toBe('<img src="https://img.example/x.png" alt="" />');
  });
});
