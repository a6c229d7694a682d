-- CreateTable
CREATE TABLE "reserved_project_names" (
    "normalized_name" VARCHAR(100) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "confusable_key" VARCHAR(100) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "serial" BIGINT NOT NULL,
    "deleted_by" VARCHAR(50),

    CONSTRAINT "reserved_project_names_pkey" PRIMARY KEY ("normalized_name")
);

-- CreateTable
CREATE TABLE "prohibited_usernames" (
    "username_key" VARCHAR(50) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prohibited_usernames_pkey" PRIMARY KEY ("username_key")
);

-- CreateIndex
CREATE UNIQUE INDEX "reserved_project_names_confusable_key_key" ON "reserved_project_names"("confusable_key");

-- CreateIndex
CREATE INDEX "projects_normalized_name_trgm_idx" ON "projects" USING GIN ("normalized_name" gin_trgm_ops);

