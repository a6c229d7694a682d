-- DropIndex
DROP INDEX "users_email_key_key";

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "username_skeleton" VARCHAR(50),
ADD COLUMN     "verified_email_key" VARCHAR(254);

-- CreateIndex
CREATE UNIQUE INDEX "users_username_skeleton_key" ON "users"("username_skeleton");

-- CreateIndex
CREATE UNIQUE INDEX "users_verified_email_key_key" ON "users"("verified_email_key");


-- Backfill. A verified address keeps its key (email_key was unique, so these cannot collide).
UPDATE "users" SET "verified_email_key" = "email_key" WHERE "email_verified_at" IS NOT NULL;

-- The same mapping as lookAlikeSkeleton in lib/packaging/names.ts (usernames are ASCII). Of accounts
-- that already read alike, the oldest gets the key; the others keep their names, without one.
UPDATE "users" AS u SET "username_skeleton" = k.skeleton
FROM (
  SELECT id, skeleton, row_number() OVER (PARTITION BY skeleton ORDER BY created_at, id) AS n
  FROM (
    SELECT id, created_at,
      replace(replace(translate(regexp_replace(lower(username), '[-_.]', '', 'g'), 'lio', '110'), 'rn', 'm'), 'vv', 'w') AS skeleton
    FROM "users"
  ) AS raw
) AS k
WHERE u.id = k.id AND k.n = 1;
