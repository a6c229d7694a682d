-- AlterTable
ALTER TABLE "releases" ADD COLUMN     "description_renderer" INTEGER;

