-- DropIndex
DROP INDEX "projects_search_text_trgm_idx";

-- AlterTable
ALTER TABLE "projects" DROP COLUMN "search_text",
ADD COLUMN     "search_vector" tsvector;

-- CreateTable
CREATE TABLE "classifier_counts" (
    "classifier" TEXT NOT NULL,
    "projects" INTEGER NOT NULL,

    CONSTRAINT "classifier_counts_pkey" PRIMARY KEY ("classifier")
);

-- CreateIndex
CREATE INDEX "projects_search_vector_idx" ON "projects" USING GIN ("search_vector");


-- Written by hand from here: Prisma's schema language has no triggers.

-- search_vector: the words of the name (weight A), summary (B) and keywords (C). Punctuation is
-- turned into spaces first, as search does with the query, so "zope.interface" and "seed-77" are
-- found by their parts (PostgreSQL's parser alone would read "-77" as a negative number).
CREATE FUNCTION projects_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('simple', regexp_replace(NEW.name, '[^[:alnum:]]+', ' ', 'g')), 'A')
    || setweight(to_tsvector('simple', regexp_replace(coalesce(NEW.summary, ''), '[^[:alnum:]]+', ' ', 'g')), 'B')
    || setweight(to_tsvector('simple', regexp_replace(array_to_string(NEW.keywords, ' '), '[^[:alnum:]]+', ' ', 'g')), 'C');
  RETURN NEW;
END
$$;

CREATE TRIGGER projects_search_vector BEFORE INSERT OR UPDATE OF name, summary, keywords ON projects
  FOR EACH ROW EXECUTE FUNCTION projects_search_vector();

UPDATE projects SET name = name;

-- classifier_counts is kept exact by statement-level triggers on projects, so bulk inserts (the
-- seed command) pay once per statement. Each statement's net change per classifier is applied in
-- classifier order, so concurrent writers take row locks in the same order and cannot deadlock.
CREATE FUNCTION classifier_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed bigint;
BEGIN
  -- Transition tables have no statistics or indexes: everything here is one pass of hashing,
  -- never a join of old and new rows (quadratic on a bulk update).
  IF TG_OP = 'INSERT' THEN
    INSERT INTO classifier_counts AS cc (classifier, projects)
      SELECT c, count(*) FROM new_rows, unnest(new_rows.classifiers) AS c GROUP BY c ORDER BY c
      ON CONFLICT (classifier) DO UPDATE SET projects = cc.projects + EXCLUDED.projects;
    RETURN NULL;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO classifier_counts AS cc (classifier, projects)
      SELECT c, -count(*) FROM old_rows, unnest(old_rows.classifiers) AS c GROUP BY c ORDER BY c
      ON CONFLICT (classifier) DO UPDATE SET projects = cc.projects + EXCLUDED.projects;
  ELSE
    -- Most updates (a new serial, a new summary) leave classifiers alone: the net change is empty.
    INSERT INTO classifier_counts AS cc (classifier, projects)
      SELECT c, sum(d) FROM (
        SELECT unnest(new_rows.classifiers) AS c, 1 AS d FROM new_rows
        UNION ALL
        SELECT unnest(old_rows.classifiers), -1 FROM old_rows
      ) AS changes GROUP BY c HAVING sum(d) <> 0 ORDER BY c
      ON CONFLICT (classifier) DO UPDATE SET projects = cc.projects + EXCLUDED.projects;
  END IF;
  GET DIAGNOSTICS changed = ROW_COUNT;
  IF changed > 0 THEN
    DELETE FROM classifier_counts WHERE projects <= 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER projects_classifier_counts_insert AFTER INSERT ON projects
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION classifier_counts_apply();
CREATE TRIGGER projects_classifier_counts_update AFTER UPDATE ON projects
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION classifier_counts_apply();
CREATE TRIGGER projects_classifier_counts_delete AFTER DELETE ON projects
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION classifier_counts_apply();

INSERT INTO classifier_counts (classifier, projects)
  SELECT c, count(*) FROM projects, unnest(projects.classifiers) AS c GROUP BY c;
