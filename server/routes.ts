// Every URL Wheelhouse answers, and the file that answers it: a newcomer looking for the code behind
// a URL starts here. The edge (server/main.ts) tries the `edge` routes itself, in this order, on the
// first path prefix that matches; a handler may still pass its request on (it resolves to false),
// and everything else is the Next.js app's, under app/ (tests/server/routes.test.ts keeps the `next`
// rows in step with the files there).

import type http from "node:http";
import { serveCurrentUser } from "./fast/current-user";
import { serveDownload } from "./fast/downloads";
import { serveJsonApi } from "./fast/json-api";
import { serveProjectPage } from "./fast/project-pages";
import { serveSimpleIndex } from "./fast/simple-index";
import { serveSimplePage } from "./fast/simple-pages";

/** Hands a request to the Next.js app (with the security headers every page gets); with keepBody, also
 * resolves to the bytes it sent, for the edge to keep. */
export type ToNext = (req: http.IncomingMessage, res: http.ServerResponse, keepBody: true) => Promise<Buffer | null>;

export interface EdgeRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** The request target as sent, query string included. */
  url: string;
  pathname: string;
  next: ToNext;
}

interface Route {
  /** The URLs, with <placeholders>. */
  path: string;
  what: string;
  /** The file that answers it. */
  file: string;
}

interface EdgeRoute extends Route {
  prefix: string;
  /** The route takes `prefix` itself only (with or without its trailing slash), not the paths below it. */
  exact?: true;
  /** Resolves to whether the request was answered; false passes it on to Next. */
  serve(request: EdgeRequest): Promise<boolean>;
}

export const EDGE_ROUTES: readonly EdgeRoute[] = [
  {
    path: "/simple/",
    what: "PEP 503/691 index of every project, streamed from PostgreSQL (never through the Next.js worker)",
    file: "server/fast/simple-index.ts",
    prefix: "/simple/",
    exact: true,
    serve: ({ req, res, pathname }) => serveSimpleIndex(req, res, pathname),
  },
  {
    path: "/simple/<project>/",
    what: "PEP 503/691 project page for pip, kept in memory per project serial",
    file: "server/fast/simple-pages.ts",
    prefix: "/simple/",
    serve: ({ req, res, pathname }) => serveSimplePage(req, res, pathname),
  },
  {
    path: "/packages/<sha256 split 2/2/60>/<filename>[.metadata]",
    what: "file downloads and their PEP 658 metadata",
    file: "server/fast/downloads.ts",
    prefix: "/packages/",
    serve: ({ req, res, pathname }) => serveDownload(req, res, pathname),
  },
  {
    path: "/project/<name>/[<version>/]",
    what: "project pages, one copy for every visitor, kept as Next rendered them",
    file: "server/fast/project-pages.ts",
    prefix: "/project/",
    serve: ({ req, res, url, next }) => serveProjectPage(req, res, url, next),
  },
  {
    path: "/_includes/current-user",
    what: 'who is signed in, for the header and "Manage project" of pages shared by every visitor',
    file: "server/fast/current-user.ts",
    prefix: "/_includes/current-user",
    serve: ({ req, res, pathname }) =>
      pathname === "/_includes/current-user" ? serveCurrentUser(req, res) : Promise.resolve(false),
  },
  {
    path: "/pypi/<project>/[<version>/]json",
    what: "PyPI's legacy JSON API, kept in memory per project serial (Next answers redirects and 404s)",
    file: "server/fast/json-api.ts",
    prefix: "/pypi/",
    serve: ({ req, res, pathname }) => serveJsonApi(req, res, pathname),
  },
];

/** The edge route for a path, if any. */
export function edgeRoute(pathname: string): EdgeRoute | undefined {
  return EDGE_ROUTES.find((route) =>
    route.exact ? pathname === route.prefix || `${pathname}/` === route.prefix : pathname.startsWith(route.prefix),
  );
}

/** What the Next.js app answers (pages are server components; mutations are server actions beside them). */
export const NEXT_ROUTES: readonly Route[] = [
  { path: "/", what: "home: search box, counts, newest projects and releases", file: "app/page.tsx" },
  { path: "/search/?q=&c=&o=&page=", what: "project search with classifier filters", file: "app/search/page.tsx" },
  {
    path: "/project/<name>/",
    what: "project page (cache misses, client-side navigations)",
    file: "app/project/[name]/page.tsx",
  },
  { path: "/project/<name>/<version>/", what: "one release's page", file: "app/project/[name]/[version]/page.tsx" },
  { path: "/user/<username>/", what: "a maintainer's public profile", file: "app/user/[username]/page.tsx" },
  { path: "/help/", what: "pip, twine and 2FA help with this index's URL", file: "app/help/page.tsx" },
  {
    path: "/pypi/<project>/json",
    what: "PyPI's legacy JSON API, project: redirects and 404s (the edge answers the rest)",
    file: "app/pypi/[project]/json/route.ts",
  },
  {
    path: "/pypi/<project>/<version>/json",
    what: "PyPI's legacy JSON API, release: redirects and 404s (the edge answers the rest)",
    file: "app/pypi/[project]/[version]/json/route.ts",
  },
  { path: "/legacy/", what: "the upload API twine posts to", file: "app/legacy/route.ts" },
  { path: "/rss/packages.xml", what: "RSS: newest projects", file: "app/rss/packages.xml/route.ts" },
  { path: "/rss/updates.xml", what: "RSS: latest releases", file: "app/rss/updates.xml/route.ts" },
  {
    path: "/rss/project/<name>/releases.xml",
    what: "RSS: one project's releases",
    file: "app/rss/project/[name]/releases.xml/route.ts",
  },
  { path: "/account/signup/", what: "create an account", file: "app/account/signup/page.tsx" },
  { path: "/account/login/", what: "sign in (password)", file: "app/account/login/page.tsx" },
  { path: "/account/two-factor/", what: "sign in (second factor)", file: "app/account/two-factor/page.tsx" },
  { path: "/account/verify-email/?token=", what: "confirm an address", file: "app/account/verify-email/page.tsx" },
  { path: "/account/reset-password/", what: "ask for a reset link", file: "app/account/reset-password/page.tsx" },
  {
    path: "/account/reset-password/confirm/?token=",
    what: "choose a new password from a link",
    file: "app/account/reset-password/confirm/page.tsx",
  },
  { path: "/account/deleted/", what: "after deleting an account", file: "app/account/deleted/page.tsx" },
  { path: "/account/settings/", what: "name, email, password, delete", file: "app/account/(manage)/settings/page.tsx" },
  {
    path: "/account/security/",
    what: "2FA, security keys, recovery codes, sessions",
    file: "app/account/(manage)/security/page.tsx",
  },
  { path: "/account/tokens/", what: "API tokens", file: "app/account/(manage)/tokens/page.tsx" },
  { path: "/account/projects/", what: "your projects", file: "app/account/(manage)/projects/page.tsx" },
  {
    path: "/account/invitations/",
    what: "invitations to collaborate",
    file: "app/account/(manage)/invitations/page.tsx",
  },
  { path: "/account/history/", what: "security history", file: "app/account/(manage)/history/page.tsx" },
  { path: "/manage/project/<name>/", what: "releases: yank, delete", file: "app/manage/project/[name]/page.tsx" },
  {
    path: "/manage/project/<name>/collaborators/",
    what: "owners and maintainers, invitations",
    file: "app/manage/project/[name]/collaborators/page.tsx",
  },
  {
    path: "/manage/project/<name>/history/",
    what: "the project's journal",
    file: "app/manage/project/[name]/history/page.tsx",
  },
  {
    path: "/manage/project/<name>/settings/",
    what: "2FA rule, delete the project",
    file: "app/manage/project/[name]/settings/page.tsx",
  },
];
