-- Status-like text columns hold only the values the code writes (Prisma's schema cannot say so):
-- a bug or a hand-edited row that invents a stage, purpose, role or package type is refused here
-- instead of being read back as "not full", "not a reset link" or "not an owner".
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_stage_check" CHECK ("stage" IN ('pending_2fa', 'full'));
ALTER TABLE "email_tokens" ADD CONSTRAINT "email_tokens_purpose_check" CHECK ("purpose" IN ('verify_email', 'password_reset'));
ALTER TABLE "project_roles" ADD CONSTRAINT "project_roles_role_check" CHECK ("role" IN ('owner', 'maintainer'));
ALTER TABLE "role_invitations" ADD CONSTRAINT "role_invitations_role_check" CHECK ("role" IN ('owner', 'maintainer'));
ALTER TABLE "files" ADD CONSTRAINT "files_packagetype_check" CHECK ("packagetype" IN ('bdist_wheel', 'sdist'));
