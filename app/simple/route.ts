// GET /simple/: every project (PEP 503 / PEP 691), streamed.
import { simpleIndexResponse } from "@/lib/index-api/responses";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return simpleIndexResponse(request.headers.get("accept"), request.headers.get("if-none-match"));
}
