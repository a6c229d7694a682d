// The commands and configuration files users copy from Wheelhouse's pages to point pip and twine
// at it. Each names this server's public address: a bare `pip install NAME` would install whatever
// pypi.org has under that name (dependency confusion), and a bare `twine upload` would send the
// token to pypi.org.
import "server-only";
import { config } from "@/lib/config";

/** The name of this index's section in ~/.pypirc, which `twine upload --repository` selects. */
export const PYPIRC_SECTION = "wheelhouse";
export const TOKEN_PLACEHOLDER = "wheelhouse-…";

interface Index {
  simple: string;
  upload: string;
  /** pip refuses a plain-http index unless its host is trusted (loopback addresses excepted). */
  trustedHost: string | null;
}

function index(): Index {
  const base = config().baseUrl;
  const { protocol, hostname, host } = new URL(base);
  const loopback = hostname === "localhost" || /^127\./.test(hostname) || hostname === "[::1]";
  return {
    simple: `${base}/simple/`,
    upload: `${base}/legacy/`,
    trustedHost: protocol === "http:" && !loopback ? host : null,
  };
}

/** `pip install` of `requirement` from this index only. */
export function pipInstallCommand(requirement: string): string {
  const { simple, trustedHost } = index();
  return `pip install --index-url ${simple}${trustedHost ? ` --trusted-host ${trustedHost}` : ""} ${requirement}`;
}

/** pip's own configuration file, making this index the one pip uses everywhere. */
export function pipConf(): string {
  const { simple, trustedHost } = index();
  return (
    ["[global]", `index-url = ${simple}`, ...(trustedHost ? [`trusted-host = ${trustedHost}`] : [])].join("\n") + "\n"
  );
}

/** The same through pip's command line, for those who would rather not edit a file. */
export function pipConfigCommands(): string {
  const { simple, trustedHost } = index();
  return [
    `pip config set global.index-url ${simple}`,
    ...(trustedHost ? [`pip config set global.trusted-host ${trustedHost}`] : []),
  ].join("\n");
}

/** The first lines of a requirements file that installs from this index only, then `requirements`. */
export function requirementsTxt(requirements: string[]): string {
  const { simple, trustedHost } = index();
  return (
    [`--index-url ${simple}`, ...(trustedHost ? [`--trusted-host ${trustedHost}`] : []), ...requirements].join("\n") +
    "\n"
  );
}

/** ~/.pypirc with this index as a twine repository; `token` is the password (a placeholder unless given). */
export function pypirc(token = TOKEN_PLACEHOLDER): string {
  return (
    [
      "[distutils]",
      "index-servers =",
      `    ${PYPIRC_SECTION}`,
      "",
      `[${PYPIRC_SECTION}]`,
      `repository = ${index().upload}`,
      "username = __token__",
      `password = ${token}`,
    ].join("\n") + "\n"
  );
}

/** The upload command for the ~/.pypirc above (twine's default repository would be pypi.org). */
export function twineUploadCommand(): string {
  return `twine upload --repository ${PYPIRC_SECTION} dist/*`;
}

/** The upload command without a ~/.pypirc: twine asks for the token, which stays out of the shell's history. */
export function twineUploadUrlCommand(): string {
  return `twine upload --repository-url ${index().upload} --username __token__ dist/*`;
}
