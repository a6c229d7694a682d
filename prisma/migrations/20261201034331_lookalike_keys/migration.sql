-- AlterTable (filled below, then required)
ALTER TABLE "prohibited_usernames" ADD COLUMN     "username_skeleton" VARCHAR(50);

-- CreateIndex
CREATE INDEX "prohibited_usernames_username_skeleton_idx" ON "prohibited_usernames"("username_skeleton");


-- One look-alike key for usernames and project names: confusableSkeleton in lib/packaging/names.ts,
-- repeated here (names are ASCII). Project keys gain rn → m and vv → w.
CREATE FUNCTION pg_temp.wheelhouse_skeleton(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT replace(replace(translate(regexp_replace(lower(name), '[-_.]', '', 'g'), 'lio', '110'), 'rn', 'm'), 'vv', 'w') AS skeleton
$$;

UPDATE "prohibited_usernames" SET "username_skeleton" = pg_temp.wheelhouse_skeleton("username_key");
ALTER TABLE "prohibited_usernames" ALTER COLUMN "username_skeleton" SET NOT NULL;

-- Of names that already read alike under the new key, one takes it (the one that holds it already,
-- else the oldest); the others keep their old key, which has an rn or vv that no new key has, so it
-- still blocks its own look-alikes and collides with nothing.
UPDATE "projects" AS p SET "confusable_key" = k.skeleton
FROM (
  SELECT id, skeleton, row_number() OVER (PARTITION BY skeleton ORDER BY confusable_key = skeleton DESC, created_at, id) AS n
  FROM (SELECT id, confusable_key, created_at, pg_temp.wheelhouse_skeleton(name) AS skeleton FROM "projects") AS raw
) AS k
WHERE p.id = k.id AND k.n = 1 AND p.confusable_key <> k.skeleton;

UPDATE "reserved_project_names" AS r SET "confusable_key" = k.skeleton
FROM (
  SELECT normalized_name, skeleton, row_number() OVER (PARTITION BY skeleton ORDER BY confusable_key = skeleton DESC, deleted_at, normalized_name) AS n
  FROM (SELECT normalized_name, confusable_key, deleted_at, pg_temp.wheelhouse_skeleton(name) AS skeleton FROM "reserved_project_names") AS raw
) AS k
WHERE r.normalized_name = k.normalized_name AND k.n = 1 AND r.confusable_key <> k.skeleton;
