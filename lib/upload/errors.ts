// An upload refused with a status and a message that twine shows its user (PyPI puts the message
// in the HTTP reason phrase, which twine prints; the body carries it too).
export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A reason phrase must be one line of printable ASCII. */
export function reasonPhrase(message: string): string {
  return message.replace(/[^\x20-\x7e]/g, "?").slice(0, 400);
}
