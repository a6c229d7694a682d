-- CreateIndex
CREATE INDEX "projects_created_at_idx" ON "projects"("created_at" DESC);

-- CreateIndex
CREATE INDEX "releases_created_at_idx" ON "releases"("created_at" DESC);

