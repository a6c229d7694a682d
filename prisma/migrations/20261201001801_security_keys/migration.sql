-- AlterTable
ALTER TABLE "users" ADD COLUMN     "two_factor_enabled_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "security_keys" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "credential_id" VARCHAR(1400) NOT NULL,
    "public_key" BYTEA NOT NULL,
    "sign_count" BIGINT NOT NULL DEFAULT 0,
    "transports" TEXT[],
    "discoverable" BOOLEAN NOT NULL DEFAULT false,
    "multi_device" BOOLEAN NOT NULL DEFAULT false,
    "backed_up" BOOLEAN NOT NULL DEFAULT false,
    "aaguid" VARCHAR(36) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "security_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webauthn_challenges" (
    "binding" CHAR(64) NOT NULL,
    "purpose" VARCHAR(16) NOT NULL,
    "challenge" VARCHAR(128) NOT NULL,
    "user_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webauthn_challenges_pkey" PRIMARY KEY ("binding","purpose")
);

-- CreateIndex
CREATE UNIQUE INDEX "security_keys_credential_id_key" ON "security_keys"("credential_id");

-- CreateIndex
CREATE INDEX "security_keys_user_id_idx" ON "security_keys"("user_id");

-- CreateIndex
CREATE INDEX "webauthn_challenges_expires_at_idx" ON "webauthn_challenges"("expires_at");

-- AddForeignKey
ALTER TABLE "security_keys" ADD CONSTRAINT "security_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Accounts with the authenticator app had 2FA on since they enrolled it.
UPDATE "users" SET "two_factor_enabled_at" = "totp_enabled_at" WHERE "totp_enabled_at" IS NOT NULL;
