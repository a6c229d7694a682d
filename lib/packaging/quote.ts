// Quotes user-supplied values inside upload error messages the way PyPI's Python repr() does.
import "server-only";

const DEFAULT_MAX = 100;

/**
 * `'value'`, with control characters escaped and long values cut short. Upload errors travel back
 * to twine in the HTTP status line, so a hostile filename must not be able to smuggle a newline
 * or megabytes of text into it.
 */
export function quote(value: string, max: number = DEFAULT_MAX): string {
  const cut = value.length > max ? `${value.slice(0, max)}...` : value;

  const escaped = cut.replace(/[\\'\u0000-\u001f\u007f]/g, (ch) => {
    if (ch === "\\") return "\\\\";
    if (ch === "'") return "\\'";
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
  return `'${escaped}'`;
}
