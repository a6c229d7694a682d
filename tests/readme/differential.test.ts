// The README renderer checked against PyPI's (readme_renderer, run once for the whole corpus in
// tests/readme/corpus/): both outputs are reduced to what a reader gets from them, the text, the link and image
// targets, and the element structure, and compared. Every document where they still differ is listed below with
// the reason; a new difference, or a listed one that went away, fails the test.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseDocument } from "htmlparser2";
import { type ChildNode, isTag, isText } from "domhandler";
import { describe, expect, it } from "vitest";
import { renderDescription } from "@/lib/readme";

const CORPUS = path.join(import.meta.dirname, "corpus");
// Debian's own Python, where apt installs python3-readme-renderer (a pyenv shim earlier on PATH would not see it).
const PYTHON = fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

/** Documents whose renderings still differ, and why that is right (or not worth matching). */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  // PyPI refuses these READMEs (readme_renderer reports an error) and shows their source as plain text; Wheelhouse
  // renders the nearest sensible thing instead (see lib/readme/rst/parse.ts).
  "roles-inline.rst": "Sphinx's :func: and :class: roles are unknown to docutils; Wheelhouse shows them as code.",
  "version-note.rst":
    "Sphinx's deprecated/versionadded/seealso directives are unknown to docutils; Wheelhouse shows their content.",
  "transitions-comments.rst":
    "PyPI disables raw and include, and treats them as errors; Wheelhouse drops just those two directives.",
  // Not implemented.
  "contents-topic.rst":
    "Section titles are not links back to the table of contents (docutils' toc_backlinks): " +
    "the sanitizer allows no id on <a>.",
  // Deliberate, or PyPI's sanitizer at fault.
  "directives-admonitions.rst":
    "An admonition's title is <p><strong>Note</strong></p>; docutils' <p class=\"admonition-title\"> " +
    "is made bold by PyPI's stylesheet, and Wheelhouse's sanitizer allows no class on <p>.",
  "task-lists.md":
    "GFM task lists: PyPI renders checkbox inputs; " +
    "Wheelhouse allows no form elements and shows [x] and [ ] as written.",
  "html-heavy.md":
    "PyPI shows a disallowed <script> element as escaped text; " +
    "Wheelhouse drops it with its content (code, never prose).",
  "fastapi-like.md":
    "PyPI links the URL text of a raw-HTML <a> a second time (a link inside a link) and shows <small> as text; " +
    "Wheelhouse keeps one link and drops the tag, keeping its text.",
  "images-figures.rst":
    "PyPI's sanitizer shows the <figcaption> tags as text; Wheelhouse shows the caption as a paragraph.",
};

interface Reading {
  text: string;
  targets: string[];
  structure: string[];
}

/** Elements that are the same thing to a reader. */
const SAME_AS: Readonly<Record<string, string>> = { b: "strong", i: "em", tt: "code", s: "del", strike: "del" };
/** Elements whose presence a reader notices; the rest (div, span, thead, tbody, …) are only wrappers. */
const MEANINGFUL = new Set([
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "p",
  "ul",
  "ol",
  "li",
  "pre",
  "code",
  "blockquote",
  "table",
  "tr",
  "th",
  "td",
  "dl",
  "dt",
  "dd",
  "hr",
  "img",
  "a",
  "em",
  "strong",
  "del",
  "sup",
  "sub",
  "details",
  "summary",
  "kbd",
]);
/** Elements that start a new line of text; inline ones (a, em, code, highlighting spans) run on. */
const BLOCK = new Set([
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "p",
  "ul",
  "ol",
  "li",
  "pre",
  "blockquote",
  "table",
  "tr",
  "th",
  "td",
  "dl",
  "dt",
  "dd",
  "hr",
  "br",
  "img",
  "div",
  "details",
  "summary",
  "figure",
  "figcaption",
]);
/** A paragraph that is all of a list item or cell is spacing, not structure (docutils' compact lists, tight lists). */
const PARAGRAPH_IS_SPACING_IN = new Set(["li", "dd", "td", "th"]);

/**
 * Wheelhouse's deliberate policies, applied to PyPI's rendering before comparing so that they do not hide other
 * differences: a relative image would load from this index itself, so it is shown as its alt text (sanitize.ts).
 */
function withWheelhousePolicies(html: string): string {
  return html.replace(/<img\b[^>]*>/g, (tag) => {
    const src = /\ssrc="([^"]*)"/.exec(tag)?.[1];
    if (src !== undefined && /^https?:\/\//i.test(src)) return tag;
    return ` ${/\salt="([^"]*)"/.exec(tag)?.[1] ?? ""} `;
  });
}

/**
 * docutils makes a lone top-level title the document's title, and readme_renderer renders only the body, so PyPI
 * never shows it. Wheelhouse shows it, as the README's <h1>; compared without it.
 */
function withoutDocumentTitle(html: string): string {
  return html.replace(/^\s*<h1\b[^>]*>[\s\S]*?<\/h1>/, "");
}

/** `mailto:a%40b` and `mailto:a@b` are the same link. */
function decodeTarget(target: string): string {
  try {
    return decodeURIComponent(target);
  } catch {
    return target;
  }
}

function read(html: string): Reading {
  const reading: Reading = { text: "", targets: [], structure: [] };
  const walk = (nodes: ChildNode[], parent: string) => {
    for (const node of nodes) {
      if (isText(node)) {
        reading.text += node.data;
      } else if (isTag(node)) {
        // docutils' HTML5 writer marks ``literals`` up as <span class="docutils literal">, shown as code.
        const literal = node.name === "span" && /\bliteral\b/.test(node.attribs.class ?? "");
        const name = literal ? "code" : (SAME_AS[node.name] ?? node.name);
        const inPre = parent === "pre";
        const shown =
          MEANINGFUL.has(name) && !(name === "code" && inPre) && !(name === "p" && PARAGRAPH_IS_SPACING_IN.has(parent));
        if (shown) reading.structure.push(name);
        const target = name === "a" ? node.attribs.href : name === "img" ? node.attribs.src : undefined;
        // Same-page links point at namespaced ids on Wheelhouse (see sanitize.ts), which is the same target.
        if (target !== undefined) reading.targets.push(decodeTarget(target.replace(/^#user-content-/, "#")));
        if (name === "img") reading.text += ` ${node.attribs.alt ?? ""} `;
        const space = BLOCK.has(name) ? " " : "";
        reading.text += space;
        walk(node.children, shown ? name : parent);
        reading.text += space;
      }
    }
  };
  walk(parseDocument(html, { decodeEntities: true }).children, "");
  reading.text = reading.text.replace(/\s+/g, " ").trim();
  return reading;
}

const corpus = fs
  .readdirSync(CORPUS)
  .filter((name) => name.endsWith(".md") || name.endsWith(".rst"))
  .sort()
  .map((name) => ({
    name,
    format: name.endsWith(".md") ? "markdown" : "rst",
    text: fs.readFileSync(path.join(CORPUS, name), "utf8"),
  }));

function referenceRenderings(): Record<string, string | null> {
  const out = execFileSync(PYTHON, [path.join(import.meta.dirname, "reference.py")], {
    input: JSON.stringify(corpus),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString("utf8")) as Record<string, string | null>;
}

describe("README rendering compared with PyPI's readme_renderer", () => {
  it("has a corpus of at least 40 READMEs in both formats", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(corpus.filter((d) => d.format === "markdown").length).toBeGreaterThanOrEqual(15);
    expect(corpus.filter((d) => d.format === "rst").length).toBeGreaterThanOrEqual(15);
  });

  it("agrees on text, link targets and structure, except for the listed differences", () => {
    const reference = referenceRenderings();
    const differing: Record<string, string[]> = {};
    for (const doc of corpus) {
      const theirs = reference[doc.name];
      if (typeof theirs !== "string") {
        // readme_renderer reports an error, and PyPI shows the source as plain text.
        differing[doc.name] = ["refused by readme_renderer"];
        continue;
      }
      const html = renderDescription(doc.text, doc.format === "markdown" ? "text/markdown" : "text/x-rst").html;
      const ours = read(doc.format === "rst" && !/^\s*<h1\b/.test(theirs) ? withoutDocumentTitle(html) : html);
      const pypi = read(withWheelhousePolicies(theirs));
      const aspects = (["text", "targets", "structure"] as const).filter(
        (k) => JSON.stringify(ours[k]) !== JSON.stringify(pypi[k]),
      );
      if (aspects.length > 0) {
        differing[doc.name] = aspects;
        if (process.env.README_DIFF) console.log(doc.name, JSON.stringify({ ours, pypi }, null, 1));
      }
    }
    const agreeing = corpus.length - Object.keys(differing).length;
    console.log(
      `README renderer agrees with readme_renderer on ${agreeing} of ${corpus.length} documents ` +
        `(${Math.round((100 * agreeing) / corpus.length)}%)`,
    );
    expect(Object.keys(differing).sort()).toEqual(Object.keys(KNOWN_DIFFERENCES).sort());
  });
});
