/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Test runs build into their own folder so they never rebuild under a running Berth.
  distDir: process.env.BERTH_NEXT_DIST || ".next",
  reactStrictMode: true,
  devIndicators: false,
  // Native and Node-only packages stay outside the bundle; next-auth's route reaches the database through them.
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-better-sqlite3", "better-sqlite3", "@node-rs/argon2", "ws"],
  // `npm test` type-checks the whole tree once; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
