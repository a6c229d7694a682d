// GET /simple/<project>/: a project's files for pip (PEP 503 HTML or PEP 691 JSON).
import { simpleProjectResponse } from "@/lib/packaging/index-responses";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ project: string }> }): Promise<Response> {
  return simpleProjectResponse((await params).project, request.headers.get("accept"), request.headers.get("if-none-match"));
}
