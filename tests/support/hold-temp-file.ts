// A stand-in for a Wheelhouse process receiving an upload: writes a temporary file the way the
// upload code names it, prints its path, and keeps running until killed (tests/storage/sweep.test.ts).
import fs from "node:fs";
import { TempFiles } from "@/lib/storage/temp-files";

const temp = new TempFiles(process.argv[2]!).next();
fs.writeFileSync(temp, "partial upload");
process.stdout.write(`${temp}\n`);
setInterval(() => {}, 60_000);
