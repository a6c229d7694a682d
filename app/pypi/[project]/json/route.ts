// GET /pypi/<project>/json: PyPI's JSON API for the latest release.
import { jsonApiResponse } from "@/lib/index-api/responses";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ project: string }> }): Promise<Response> {
  return jsonApiResponse((await params).project, undefined, request.headers.get("if-none-match"));
}
