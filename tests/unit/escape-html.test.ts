import { describe, expect, it } from "vitest";
import { escapeHtml } from "@/lib/util/escape-html";

describe("escapeHtml", () => {
  it("escapes the five characters exactly as markupsafe does on PyPI's pages", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&#34;x&#34; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });

  it("leaves other text alone, including characters that are already entities", () => {
    expect(escapeHtml("naïve 1.0 ✓")).toBe("naïve 1.0 ✓");
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
  });
});
