-- Trigram indexes for search (written by hand: extensions are not declared in schema.prisma).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "classifiers" TEXT[],
ADD COLUMN     "keywords" TEXT[],
ADD COLUMN     "latest_version" VARCHAR(100),
ADD COLUMN     "require_two_factor" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "search_text" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "summary" VARCHAR(512);

-- CreateTable
CREATE TABLE "role_invitations" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "invitee_id" UUID NOT NULL,
    "inviter_id" UUID,
    "role" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "role_invitations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "role_invitations_invitee_id_idx" ON "role_invitations"("invitee_id");

-- CreateIndex
CREATE UNIQUE INDEX "role_invitations_project_id_invitee_id_key" ON "role_invitations"("project_id", "invitee_id");

-- CreateIndex
CREATE INDEX "projects_search_text_trgm_idx" ON "projects" USING GIN ("search_text" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "projects_normalized_name_trgm_idx" ON "projects" USING GIN ("normalized_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "projects_classifiers_idx" ON "projects" USING GIN ("classifiers");

-- AddForeignKey
ALTER TABLE "role_invitations" ADD CONSTRAINT "role_invitations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_invitations" ADD CONSTRAINT "role_invitations_invitee_id_fkey" FOREIGN KEY ("invitee_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

