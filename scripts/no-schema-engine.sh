#!/usr/bin/env sh
echo "Prisma's native schema engine is not available here: write migrations with 'npm run db:new-migration -- <name>'." >&2
exit 1
