// What a reader notices on a narrow screen, measured in the page: boxes that stick out past the
// viewport, and words broken in the middle.
import type { Page } from "@playwright/test";

/**
 * Elements whose right edge passes the viewport's, outside any box that scrolls or clips on purpose
 * (a README's code block).
 */
export function elementsWiderThanViewport(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const clipped = (e: Element) => {
      for (let a = e.parentElement; a; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== "visible") return true;
      return false;
    };
    return [...document.body.querySelectorAll("*")]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > innerWidth + 1 && !clipped(e);
      })
      .map(
        (e) =>
          `<${e.tagName.toLowerCase()} class="${e.getAttribute("class") ?? ""}"> ` +
          `ends at ${Math.round(e.getBoundingClientRect().right)} px`,
      );
  });
}

/**
 * Words (between spaces) that a line break cuts in the middle, except after a hyphen or slash and except a
 * word wider than its whole box when that box has at least half the screen (a hash, a long filename
 * or command), which has to wrap somewhere. A narrower box (a squeezed table column) is the fault.
 */
export function wordsBrokenMidLetter(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    const range = document.createRange();
    const lineOf = (node: Text, i: number) => {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const r = [...range.getClientRects()].find((r) => r.width > 0);
      return r ? Math.round(r.top) : null;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const el = node.parentElement;
      if (!el || !el.checkVisibility() || el.closest(".visually-hidden, .skip-link, thead")) continue;
      for (const m of node.data.matchAll(/\S+/g)) {
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        if (new Set(rects.map((r) => Math.round(r.top))).size < 2) continue;
        let box: Element = el;
        while (box.parentElement && getComputedStyle(box).display.startsWith("inline")) box = box.parentElement;
        const style = getComputedStyle(box);
        const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        if (rects.reduce((sum, r) => sum + r.width, 0) > room + 1 && room >= innerWidth / 2) continue;
        // Where each new line starts inside the word: only just after a hyphen or a slash is a normal break.
        for (let i = m.index + 1; i < m.index + m[0].length; i++) {
          const before = lineOf(node, i - 1);
          const here = lineOf(node, i);
          if (before !== null && here !== null && here > before && !"-/".includes(node.data[i - 1]!)) {
            broken.push(`“${m[0]}” in <${el.tagName.toLowerCase()} class="${el.getAttribute("class") ?? ""}">`);
            break;
          }
        }
      }
    }
    return broken;
  });
}
