// GET /pypi/<project>/<version>/json: PyPI's JSON API for one release.
import { jsonApiResponse } from "@/lib/index-api/responses";

export const dynamic = "force-dynamic";

export async function GET(
  request: Request,
  { params }: { params: Promise<{ project: string; version: string }> },
): Promise<Response> {
  const { project, version } = await params;
  return jsonApiResponse(project, version, request.headers.get("if-none-match"));
}
