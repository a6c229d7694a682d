-- AlterTable
ALTER TABLE "releases" ADD COLUMN     "description_html" TEXT;

