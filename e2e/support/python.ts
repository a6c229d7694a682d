// Real Python tooling from Debian: build distributions, upload them with twine, install with pip.
import fs from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { BASE_URL, ROOT } from "./env";

const run = promisify(execFile);
/** Debian's interpreter, which has `build`, `twine` and `venv` from apt (not a pyenv shim). */
export const PYTHON = "/usr/bin/python3";
export const WORK = path.join(ROOT, ".data/e2e-python");

export interface Built {
  sdist: string;
  wheel: string;
}

/** A real project built by `python3 -m build --no-isolation` (setuptools from Debian). */
export async function buildProject(opts: {
  name: string;
  version: string;
  dependencies?: string[];
  readme?: string;
  code: string;
}): Promise<Built> {
  const pkg = opts.name.replace(/[-.]/g, "_").toLowerCase();
  const dir = path.join(WORK, "src", `${opts.name}-${opts.version}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, pkg), { recursive: true });
  fs.writeFileSync(path.join(dir, pkg, "__init__.py"), opts.code);
  fs.writeFileSync(path.join(dir, "README.md"), opts.readme ?? `# ${opts.name}\n\nA test package.\n`);
  fs.writeFileSync(
    path.join(dir, "pyproject.toml"),
    [
      "[build-system]",
      'requires = ["setuptools>=61"]',
      'build-backend = "setuptools.build_meta"',
      "",
      "[project]",
      `name = "${opts.name}"`,
      `version = "${opts.version}"`,
      `description = "Test package ${opts.name}"`,
      'readme = "README.md"',
      'requires-python = ">=3.8"',
      `dependencies = [${(opts.dependencies ?? []).map((d) => JSON.stringify(d)).join(", ")}]`,
      'classifiers = ["Programming Language :: Python :: 3", "License :: OSI Approved :: MIT License"]',
      "",
      "[project.urls]",
      'Homepage = "https://example.test/home"',
      "",
      "[tool.setuptools]",
      `packages = ["${pkg}"]`,
      "",
    ].join("\n"),
  );
  await run(PYTHON, ["-m", "build", "--no-isolation", "--outdir", "dist", "."], {
    cwd: dir,
    env: { ...process.env, PIP_CONFIG_FILE: "/dev/null" },
  });
  const files = fs.readdirSync(path.join(dir, "dist"));
  const wheel = files.find((f) => f.endsWith(".whl"));
  const sdist = files.find((f) => f.endsWith(".tar.gz"));
  if (!wheel || !sdist) throw new Error(`build produced ${files.join(", ")}`);
  return { wheel: path.join(dir, "dist", wheel), sdist: path.join(dir, "dist", sdist) };
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function capture(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<Result> {
  try {
    const { stdout, stderr } = await run(cmd, args, { env, cwd, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** twine with the arguments a user would type after `twine`. */
export function twineArgs(args: string[]): Promise<Result> {
  return capture(PYTHON, ["-m", "twine", ...args], { ...process.env, TWINE_NON_INTERACTIVE: "1" });
}

export function twine(
  files: string[],
  password: string,
  extra: string[] = [],
  username = "__token__",
): Promise<Result> {
  return capture(
    PYTHON,
    [
      "-m",
      "twine",
      "upload",
      "--repository-url",
      `${BASE_URL}/legacy/`,
      "-u",
      username,
      "-p",
      password,
      "--non-interactive",
      "--disable-progress-bar",
      ...extra,
      ...files,
    ],
    { ...process.env, TWINE_NON_INTERACTIVE: "1" },
  );
}

/**
 * pip in a fresh venv, with this machine's pip configuration (extra indexes, find-links) bypassed;
 * `env` may name another configuration file (PIP_CONFIG_FILE).
 */
export async function freshVenv(
  name: string,
  env: Record<string, string> = {},
): Promise<{ pip: (...args: string[]) => Promise<Result>; python: (...args: string[]) => Promise<Result> }> {
  const dir = path.join(WORK, "venvs", `${name}-${Date.now()}`);
  await run(PYTHON, ["-m", "venv", dir]);
  const { PIP_FIND_LINKS: _links, PIP_EXTRA_INDEX_URL: _extra, PIP_INDEX_URL: _index, ...inherited } = process.env;
  const pipEnv = {
    ...inherited,
    PIP_CONFIG_FILE: "/dev/null",
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
    PIP_NO_CACHE_DIR: "1",
    PIP_NO_INPUT: "1",
    ...env,
  };
  return {
    pip: (...args) => capture(path.join(dir, "bin/pip"), args, pipEnv),
    python: (...args) => capture(path.join(dir, "bin/python"), args, pipEnv),
  };
}
