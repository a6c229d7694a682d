// What users copy to point pip and twine at this index: always this server's public address, and
// pip's trusted-host only where pip needs it (plain http to a host other than this machine).
import { afterEach, describe, expect, it, vi } from "vitest";

const original = process.env.WHEELHOUSE_URL;

/** lib/snippets as a server with public address `url` would build them. */
async function snippetsAt(url: string) {
  vi.resetModules();
  process.env.WHEELHOUSE_URL = url;
  return import("@/lib/snippets");
}

afterEach(() => {
  if (original === undefined) delete process.env.WHEELHOUSE_URL;
  else process.env.WHEELHOUSE_URL = original;
});

describe("snippets", () => {
  it("name the public address over https, with nothing else to trust", async () => {
    const s = await snippetsAt("https://pypi.example.org/");
    expect(s.pipInstallCommand("wh-app==1.0")).toBe(
      "pip install --index-url https://pypi.example.org/simple/ wh-app==1.0",
    );
    expect(s.pipConf()).toBe("[global]\nindex-url = https://pypi.example.org/simple/\n");
    expect(s.pipConfigCommands()).toBe("pip config set global.index-url https://pypi.example.org/simple/");
    expect(s.requirementsTxt(["wh-app>=1"])).toBe("--index-url https://pypi.example.org/simple/\nwh-app>=1\n");
    expect(s.twineUploadUrlCommand()).toBe(
      "twine upload --repository-url https://pypi.example.org/legacy/ --username __token__ dist/*",
    );
  });

  it("put the token in a .pypirc section that twine uploads to only when named", async () => {
    const s = await snippetsAt("https://pypi.example.org");
    const token = `wheelhouse-${"A".repeat(43)}`;
    expect(s.pypirc(token)).toBe(
      "[distutils]\nindex-servers =\n    wheelhouse\n\n" +
        `[wheelhouse]\nrepository = https://pypi.example.org/legacy/\nusername = __token__\npassword = ${token}\n`,
    );
    expect(s.twineUploadCommand()).toBe("twine upload --repository wheelhouse dist/*");
  });

  it("trust a plain-http host other than this machine, as pip requires", async () => {
    const s = await snippetsAt("http://pkgs.internal:8080");
    expect(s.pipInstallCommand("x")).toBe(
      "pip install --index-url http://pkgs.internal:8080/simple/ --trusted-host pkgs.internal:8080 x",
    );
    expect(s.pipConf()).toContain("\ntrusted-host = pkgs.internal:8080\n");
    expect(s.pipConfigCommands()).toContain("\npip config set global.trusted-host pkgs.internal:8080");
    expect(s.requirementsTxt([])).toBe(
      "--index-url http://pkgs.internal:8080/simple/\n--trusted-host pkgs.internal:8080\n",
    );
  });

  it("trust nothing for loopback addresses, which pip already treats as secure", async () => {
    for (const url of ["http://127.0.0.1:3000", "http://localhost:3000", "http://[::1]:3000"]) {
      expect((await snippetsAt(url)).pipInstallCommand("x")).not.toContain("--trusted-host");
    }
  });
});
