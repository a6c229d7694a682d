-- Nothing queries names by trigram since search moved to full-text words; the index only cost writes.
-- DropIndex
DROP INDEX "projects_normalized_name_trgm_idx";

