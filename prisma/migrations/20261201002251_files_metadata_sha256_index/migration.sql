-- CreateIndex
CREATE INDEX "files_metadata_sha256_idx" ON "files"("metadata_sha256");

