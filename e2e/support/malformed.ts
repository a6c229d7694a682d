// Seeded generators of malformed requests for every route family (e2e/fuzz.spec.ts). Every request
// is decided by the seed alone, before any is sent, so a failure is reproduced by its seed.
import crypto from "node:crypto";
import http from "node:http";
import { BASE_URL } from "./env";
import { makeWheel, multipart, uploadParts, type Part } from "./uploads";

export type Rng = () => number;

/** mulberry32: small, fast and good enough to pick test cases. */
export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const chance = (rng: Rng, p: number) => rng() < p;
const bytes = (rng: Rng, n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rng() * 256)));
const hex = (rng: Rng, n: number) =>
  bytes(rng, Math.ceil(n / 2))
    .toString("hex")
    .slice(0, n);
const token43 = (rng: Rng) => bytes(rng, 32).toString("base64url");

/** Path segments and query values as they appear on the wire (already percent-encoded, or not). */
const NASTY = [
  "%00",
  "a%00b",
  "%ff",
  "%ff%fe",
  "%",
  "%%",
  "%%/%%",
  "%E0%A4%A",
  "%C0%AF",
  "%ED%A0%80",
  "%F4%90%80%80",
  "%0d%0a",
  "%01",
  "%7f",
  "%25",
  "%2e%2e",
  "..",
  ".",
  "%2f",
  "%5c",
  ";$)9@%",
  "'",
  "%27",
  "%22",
  "%3Cscript%3E",
  "%20",
  "+",
  "~",
  "*",
  "-1",
  "0",
  "99999999999999999999",
  "1e309",
  "NaN",
  "null",
  "__proto__",
  "constructor",
  "%F0%9F%92%A9",
  "caf%C3%A9",
  "%E2%80%AE",
  "x".repeat(300),
  "y".repeat(3000),
  "1.0",
  "1.0%00",
  "0!0.0a1.post1.dev1+local",
  "demo_pkg",
  "Demo.Pkg",
  "-",
  "_",
  "a--b",
];

function segment(rng: Rng, real: string): string {
  const nasty = pick(rng, NASTY);
  switch (Math.floor(rng() * 4)) {
    case 0:
      return nasty;
    case 1:
      return `${real}${nasty}`;
    case 2:
      return `${nasty}${real}`;
    default:
      return pick(rng, [real, real.toUpperCase(), real.replace(/-/g, "_"), `${real}%00`, `${real}/`]);
  }
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What the request is, for the report. */
  what: string;
  /** An upload broken on purpose: any answer but a 4xx is a failure. */
  mustRefuse?: boolean;
}

/** What exists on the server for requests to aim near: a real project, version and download path. */
export interface Targets {
  project: string;
  version: string;
  downloadPath: string;
  token: string;
  /** Real server action ids, read from the pages' forms, and the page each was read from. */
  actions: { page: string; id: string }[];
  /** A signed-in session's cookie value: signed-in pages and actions meet malformed input too. */
  session: string;
}

/** The action ids a page's forms carry (each form's `$ACTION_<n>:0` field holds `{"id":"<id>",...}`). */
export function actionIdsIn(html: string): string[] {
  return [...new Set([...html.matchAll(/&quot;id&quot;:&quot;([0-9a-f]{40,})&quot;/g)].map((m) => m[1]!))];
}

const ACCEPT = [
  "application/vnd.pypi.simple.v1+json",
  "application/vnd.pypi.simple.v1+html;q=0.2, text/html",
  "*/*;q=abc",
  "text/html;q=-1",
  "application/vnd.pypi.simple.v999+json",
  ";;;,,,",
  "a".repeat(2000),
  "application/json, text/*;q=0.5, */*;q=0.1",
];

const COOKIES = ["%E0%A4%A", "%00", "", '"', "x;y", "a".repeat(43), "a".repeat(5000), "%ff%fe"];
const ACCOUNT_PAGES = [
  "signup",
  "tokens",
  "security",
  "settings",
  "projects",
  "invitations",
  "deleted",
  "reset-password",
];

function pageHeaders(rng: Rng, t: Targets): Record<string, string> {
  const headers: Record<string, string> = {};
  if (chance(rng, 0.3)) headers.cookie = `wheelhouse_session=${chance(rng, 0.5) ? pick(rng, COOKIES) : token43(rng)}`;
  else if (chance(rng, 0.15)) headers.cookie = `wheelhouse_session=${t.session}`;
  if (chance(rng, 0.1))
    headers.cookie =
      `${headers.cookie ?? "a=b"}; authjs.csrf-token=${pick(rng, COOKIES)}; ` +
      `authjs.callback-url=${pick(rng, NASTY)}`;
  if (chance(rng, 0.3)) headers.accept = pick(rng, ACCEPT);
  if (chance(rng, 0.1)) headers["if-none-match"] = pick(rng, ['"', "*", 'W/"x", "y"', "a".repeat(500)]);
  if (chance(rng, 0.1))
    headers.range = pick(rng, ["bytes=5-1", "bytes=-", "bytes=0-0,1-1,2-2", "pages=1", "bytes=99999999999999999999-"]);
  if (chance(rng, 0.1)) headers["accept-encoding"] = pick(rng, ["gzip;q=x", "br, zstd, *", "identity;q=0", ""]);
  if (chance(rng, 0.05)) headers.rsc = "1";
  if (chance(rng, 0.05)) headers["next-router-state-tree"] = pick(rng, ["%7B", "[]", "%00", "x".repeat(100)]);
  return headers;
}

function readRequest(rng: Rng, t: Targets): FuzzRequest {
  const s = () => segment(rng, t.project);
  const v = () => segment(rng, t.version);
  const family = pick(rng, [
    () => `/simple/${s()}/`,
    () => `/simple/${s()}`,
    () => "/simple/",
    () => `${t.downloadPath}${pick(rng, NASTY)}`,
    () => `${t.downloadPath}.metadata${pick(rng, ["", ...NASTY])}`,
    () => `/packages/${hex(rng, 2)}/${hex(rng, 2)}/${hex(rng, 60)}/${s()}`,
    () => `/packages/${s()}/${s()}`,
    () => `/project/${s()}`,
    () => `/project/${s()}/${v()}`,
    () => `/project/${t.project}/${v()}`,
    () => `/pypi/${s()}/json`,
    () => `/pypi/${s()}/${v()}/json`,
    () => `/pypi/${t.project}/${v()}/json`,
    () => `/user/${s()}`,
    () => `/search?q=${s()}&page=${pick(rng, NASTY)}`,
    () => `/search?c=${pick(rng, NASTY)}&q=${pick(rng, NASTY)}`,
    () => `/account/login?next=${pick(rng, NASTY)}`,
    () => `/account/verify-email?token=${pick(rng, NASTY)}`,
    () => `/account/reset-password/confirm?token=${pick(rng, NASTY)}`,
    () => `/account/two-factor?next=${pick(rng, NASTY)}`,
    () => `/account/history?page=${pick(rng, NASTY)}`,
    () => `/manage/project/${s()}`,
    () => `/manage/project/${s()}/history?page=${pick(rng, NASTY)}`,
    () => `/api/auth/${pick(rng, NASTY)}`,
    () => `/api/auth/callback/${pick(rng, ["password", "second-factor", ...NASTY])}`,
    () => "/api/auth/session",
    () => `/${pick(rng, NASTY)}`,
    () => `/_next/${pick(rng, NASTY)}`,
    () => `/_next/static/${pick(rng, NASTY)}`,
    () => `/help?${pick(rng, NASTY)}`,
    () => `/?${pick(rng, NASTY)}=${pick(rng, NASTY)}`,
    () => `/legacy/${pick(rng, ["", ...NASTY])}`,
    () => `/rss/project/${s()}/releases.xml`,
    () => `/rss/${pick(rng, ["updates.xml", "packages.xml"])}?${pick(rng, NASTY)}`,
    () => `/simple/?${pick(rng, NASTY)}=${pick(rng, NASTY)}`,
    () => `/manage/project/${s()}/${pick(rng, ["settings", "collaborators", ...NASTY])}`,
    () => `/account/${pick(rng, ACCOUNT_PAGES)}?${pick(rng, NASTY)}=${pick(rng, NASTY)}`,
    () => `/search?q=${pick(rng, NASTY)}&o=${pick(rng, NASTY)}&c=${pick(rng, NASTY)}&c=${pick(rng, NASTY)}`,
  ])();
  const method = pick(rng, ["GET", "GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]);
  const headers = pageHeaders(rng, t);
  let body: Buffer | undefined;
  if (method === "POST" || method === "PUT" || method === "PATCH") {
    headers["content-type"] = pick(rng, [
      "application/x-www-form-urlencoded",
      "multipart/form-data",
      "multipart/form-data; boundary=",
      "text/plain;charset=utf-8",
      "application/json",
      "%00",
    ]);
    body = chance(rng, 0.5)
      ? bytes(rng, Math.floor(rng() * 2000))
      : Buffer.from(`login=a%00b&password=${pick(rng, NASTY)}&csrfToken=${pick(rng, NASTY)}`);
    if (chance(rng, 0.2)) headers["next-action"] = pick(rng, [hex(rng, 40), hex(rng, 42), "%00", "x"]);
  }
  return { method, path: family, headers, body, what: `${method} ${family}` };
}

const B = "----fuzzBoundary7MA4YWxkTrZu0gW";
const field = (name: string, value: string) =>
  `--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const form = (...fields: string[]) => Buffer.from(fields.join("") + `--${B}--\r\n`);

/**
 * A server action request with a real action id and a body Next cannot decode, in every encoding
 * Next reads actions in: React's client (text/plain JSON, multipart rows) and forms posted without
 * JavaScript (multipart with `$ACTION_` fields). Well-formed ones are mixed in: they may run the
 * action (its form is empty, so it refuses), but never answer 5xx.
 */
function actionRequest(rng: Rng, t: Targets): FuzzRequest {
  const { page, id } = pick(rng, t.actions);
  const text = pick(rng, [
    "",
    "[",
    '{"a":1}',
    "5",
    '"x"',
    '[{},"$K1"]',
    '["$@9"]',
    '[{},"$K1"',
    "username=a&password=b",
    "\u00ff\u0000",
    pick(rng, NASTY),
  ]);
  const variants: [string, string | undefined, Buffer][] = [
    ["text/plain JSON args", "text/plain;charset=UTF-8", Buffer.from(text)],
    ["url-encoded", "application/x-www-form-urlencoded", Buffer.from(`a=${pick(rng, NASTY)}`)],
    ["url-encoded with a charset", "application/x-www-form-urlencoded; charset=utf-8", Buffer.from(text)],
    ["no content type", undefined, Buffer.from(text)],
    [
      "random bytes",
      pick(rng, ["text/plain", "application/json", "application/octet-stream"]),
      bytes(rng, Math.floor(rng() * 300)),
    ],
    [
      "multipart rows",
      `multipart/form-data; boundary=${B}`,
      form(field("0", text), field("1_username", pick(rng, NASTY))),
    ],
    ["multipart without a root row", `multipart/form-data; boundary=${B}`, form(field("1", text))],
  ];
  const [what, type, body] = pick(rng, variants);
  const headers: Record<string, string> = { "next-action": id, ...pageHeaders(rng, t) };
  if (type !== undefined) headers["content-type"] = type;
  if (chance(rng, 0.3)) {
    // A form posted without JavaScript: no header, the action named in the fields.
    delete headers["next-action"];
    headers["content-type"] = `multipart/form-data; boundary=${B}`;
    const descriptor = pick(rng, [
      `{"id":"${id}","bound":"$@1"}`,
      `{"id":"${id}","bound":`,
      `{"id":"${id}"}x`,
      `{"id":"${id}","bound":"$@1"}`,
    ]);
    return {
      method: "POST",
      path: page,
      headers,
      body: form(
        field("$ACTION_REF_1", ""),
        field("$ACTION_1:0", descriptor),
        field("$ACTION_1:1", text),
        field("$ACTION_KEY", "k"),
      ),
      what: `no-JS action ${id.slice(0, 8)}: ${descriptor} / ${text}`,
    };
  }
  return {
    method: "POST",
    path: page,
    headers,
    body,
    what: `action ${id.slice(0, 8)} as ${what}: ${body.toString("latin1").slice(0, 120)}`,
  };
}

/** Base wheels the upload mutations start from: valid in every way but the one a mutation breaks. */
export interface Base {
  name: string;
  version: string;
  filename: string;
  content: Buffer;
}

export async function baseWheels(prefix: string, count: number): Promise<Base[]> {
  const bases: Base[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${i}`;
    bases.push({
      name,
      version: "1.0",
      filename: `${name.replace(/-/g, "_")}-1.0-py3-none-any.whl`,
      content: await makeWheel({ name, version: "1.0", payload: crypto.randomBytes(64) }),
    });
  }
  return bases;
}

/** A zip whose end record claims 2^32 members in 98 bytes. */
function zipClaimingMembers(): Buffer {
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeBigUInt64LE(2n ** 32n, 24);
  record.writeBigUInt64LE(2n ** 32n, 32);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.fill(0xff, 8, 20);
  return Buffer.concat([record, locator, end]);
}

const BOUNDARY = "----wheelhouse-fuzz";

/**
 * An upload broken in exactly one way that must refuse it (so a refused upload is the only right
 * answer, and anything stored is a bug). `broken` holds wheels with broken insides, built up front.
 */
function uploadRequest(rng: Rng, t: Targets, bases: Base[], broken: Base[]): FuzzRequest {
  const base = pick(rng, bases);
  const auth = (password: string, username = "__token__") =>
    `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  const headers: Record<string, string> = {
    authorization: auth(t.token),
    "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
  };
  const field = () =>
    pick(rng, [
      ":action",
      "protocol_version",
      "name",
      "version",
      "filetype",
      "pyversion",
      "summary",
      "description",
      "sha256_digest",
      "md5_digest",
      "metadata_version",
    ]);
  let parts: Part[] = uploadParts(base);
  let body: Buffer | null = null;
  const mutations: [string, () => void][] = [
    ["no authorization", () => delete headers.authorization],
    [
      "garbage authorization",
      () =>
        (headers.authorization = pick(rng, [
          "Basic",
          "Basic %%%",
          "Bearer x",
          `Basic ${bytes(rng, 30).toString("base64")}`,
          "Basic AA===",
        ])),
    ],
    ["unknown token", () => (headers.authorization = auth(`wheelhouse-${token43(rng)}`))],
    [
      "a password, not a token",
      () =>
        (headers.authorization = auth(
          pick(rng, ["hunter2", "wheelhouse-\0", "", t.token.slice(0, -1)]),
          pick(rng, ["alice", "__token__", "\0", ""]),
        )),
    ],
    [
      "no boundary",
      () =>
        (headers["content-type"] = pick(rng, [
          "multipart/form-data",
          "multipart/form-data; boundary=",
          'multipart/form-data; boundary=""',
          "multipart/form-data; charset=utf-8",
        ])),
    ],
    [
      "not multipart",
      () =>
        (headers["content-type"] = pick(rng, [
          "application/json",
          "application/x-www-form-urlencoded",
          "text/plain",
          "",
          "%00",
        ])),
    ],
    [
      "another boundary in the body",
      () => (headers["content-type"] = `multipart/form-data; boundary=${BOUNDARY}-other`),
    ],
    [
      "body cut short",
      () => {
        const whole = multipart(parts, BOUNDARY, { end: false });
        body = whole.subarray(0, Math.floor(rng() * (whole.length - 10)));
      },
    ],
    ["no closing boundary", () => (body = multipart(parts, BOUNDARY, { end: false }))],
    [
      "NUL in a field",
      () => (parts = uploadParts(base, { [field()]: `${pick(rng, ["", "1.0", base.name])}\0${pick(rng, ["", "x"])}` })),
    ],
    ["a second content part", () => parts.push({ name: "content", value: base.content, filename: base.filename })],
    ["wrong digest", () => (parts = uploadParts(base, { sha256_digest: hex(rng, 64) }))],
    ["no content part", () => (parts = parts.filter((p) => p.name !== "content"))],
    [
      "bad :action",
      () => (parts = uploadParts(base, { ":action": pick(rng, ["", "submit", "file_upload\0", "x".repeat(500)]) })),
    ],
    ["bad filetype", () => (parts = uploadParts(base, { filetype: pick(rng, ["", "bdist_egg", "sdist", "%00"]) }))],
    ["bad protocol_version", () => (parts = uploadParts(base, { protocol_version: pick(rng, ["2", "0", "1.0"]) }))],
    [
      "bad name",
      () => (parts = uploadParts(base, { name: pick(rng, ["", "-x-", "a b", "..", "ünïcode", "x".repeat(300)]) })),
    ],
    [
      "form version differs",
      () => (parts = uploadParts(base, { version: pick(rng, ["2.0", "1.0+local", "not a version", ""]) })),
    ],
    [
      "bad filename",
      () => {
        const filename = pick(rng, [
          "",
          ".whl",
          "../x.whl",
          "a/b.whl",
          "x.exe",
          `${base.filename}\0`,
          `${base.name}-1.0.tar.gz`,
          "x".repeat(300) + ".whl",
          base.filename.replace("py3-none-any", "cp999-evil-linux"),
        ]);
        parts = [...parts.filter((p) => p.name !== "content"), { name: "content", value: base.content, filename }];
      },
    ],
    [
      "contents not a zip",
      () => {
        const content = bytes(rng, 1 + Math.floor(rng() * 3000));
        parts = uploadParts({ ...base, content });
      },
    ],
    ["a zip claiming 2^32 members", () => (parts = uploadParts({ ...base, content: zipClaimingMembers() }))],
    ["a wheel broken inside", () => (parts = uploadParts(pick(rng, broken)))],
    ["too many fields", () => parts.unshift(...Array.from({ length: 520 }, (_, i) => ({ name: `f${i}`, value: "1" })))],
    // Within the first part's boundary and headers: the ':action' field is lost whatever the bytes.
    [
      "garbled part headers",
      () => {
        const whole = multipart(parts, BOUNDARY);
        const at = Math.floor(rng() * 40);
        body = Buffer.concat([whole.subarray(0, at), bytes(rng, 20), whole.subarray(at + 20)]);
      },
    ],
  ];
  // Rare, because each sends a field of 4 MB.
  if (chance(rng, 0.01))
    mutations.push([
      "a field over 4 MB",
      () => parts.push({ name: "description", value: "x".repeat(4 * 1024 * 1024 + 1) }),
    ]);
  const [what, mutate] = pick(rng, mutations);
  mutate();
  return {
    method: "POST",
    path: "/legacy/",
    headers,
    body: body ?? multipart(parts, BOUNDARY),
    what: `upload: ${what} (${base.name})`,
    mustRefuse: true,
  };
}

/** Wheels that are refused for what is inside them: each breaks one rule of the archive or its metadata. */
export async function brokenWheels(prefix: string): Promise<Base[]> {
  const make = async (i: number, opts: Omit<Parameters<typeof makeWheel>[0], "name" | "version">) => {
    const name = `${prefix}-b${i}`;
    return {
      name,
      version: "1.0",
      filename: `${name.replace(/-/g, "_")}-1.0-py3-none-any.whl`,
      content: await makeWheel({ name, version: "1.0", ...opts }),
    };
  };
  const meta = (name: string, extra: string, version = "2.1") =>
    `Metadata-Version: ${version}\nName: ${name}\nVersion: 1.0\n${extra}`;
  return Promise.all([
    make(0, { metadata: meta(`${prefix}-b0`, "Summary: \x00\x01\x02\n") }),
    make(1, { metadata: meta(`${prefix}-b1`, "", "99.0") }),
    make(2, { wheelFile: "Wheel-Version: 1.0\nTag: cp999-evil-linux\n" }),
    make(3, { omit: ["METADATA"] }),
    make(4, { omit: ["WHEEL"] }),
    make(5, { metadataName: "someone-else" }),
    make(6, { metadataVersion: "9.9" }),
    make(7, { wheelFile: "Wheel-Version: 9.0\nTag: py3-none-any\n" }),
    make(8, { metadata: "Metadata-Version: 2.1\nVersion: 1.0\n" }),
    make(9, { metadata: meta(`${prefix}-b9`, `Description: ${"\0".repeat(10)}\n`) }),
  ]);
}

/** `count` requests over every route family, a quarter of them uploads and a tenth server actions. */
export function generate(seed: number, count: number, t: Targets, bases: Base[], broken: Base[]): FuzzRequest[] {
  const rng = seeded(seed);
  return Array.from({ length: count }, () => {
    const r = rng();
    return r < 0.25 ? uploadRequest(rng, t, bases, broken) : r < 0.35 ? actionRequest(rng, t) : readRequest(rng, t);
  });
}

export interface Answer {
  status: number;
  error?: string;
}

/**
 * Sends a request byte for byte (no URL normalisation), from 127.0.0.2: its failed sign-ins and
 * uploads count against that address, not against the 127.0.0.1 of the specs running beside it.
 */
export function send(agent: http.Agent, r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...r.headers };
    if (r.body) headers["content-length"] = r.body.length;
    const req = http.request(
      `${BASE_URL}/`,
      { method: r.method, path: r.path, headers, agent, localAddress: "127.0.0.2", timeout: 20_000 },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
        res.on("error", (err) => resolve({ status: res.statusCode ?? 0, error: err.message }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 20 s")));
    req.on("error", (err) => resolve({ status: 0, error: err.message }));
    req.end(r.body);
  });
}
