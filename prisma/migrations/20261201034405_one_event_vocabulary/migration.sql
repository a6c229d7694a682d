-- One name per change (lib/events/catalogue.ts): the security history used to store project changes
-- under names of its own ("project:release-yanked"), where the project journal says "release:yanked".
-- Rows keep everything but their name; the catalogue's `formerly` lists the same pairs.
UPDATE "security_events" SET "tag" = CASE "tag"
  WHEN 'project:release-yanked' THEN 'release:yanked'
  WHEN 'project:release-unyanked' THEN 'release:unyanked'
  WHEN 'project:release-deleted' THEN 'release:deleted'
  WHEN 'project:file-deleted' THEN 'file:deleted'
  WHEN 'project:collaborator-invited' THEN 'role:invited'
  WHEN 'project:invitation-revoked' THEN 'role:invitation-revoked'
  WHEN 'project:invitation-accepted' THEN 'role:accepted'
  WHEN 'project:invitation-declined' THEN 'role:declined'
  WHEN 'project:role-changed' THEN 'role:changed'
  WHEN 'project:collaborator-removed' THEN 'role:removed'
END
WHERE "tag" IN (
  'project:release-yanked', 'project:release-unyanked', 'project:release-deleted', 'project:file-deleted',
  'project:collaborator-invited', 'project:invitation-revoked', 'project:invitation-accepted',
  'project:invitation-declined', 'project:role-changed', 'project:collaborator-removed'
);
