// The headers through which server/main.ts hands the app what only it knows for sure: the socket's
// client address, and the request target (path and query) as the client sent it. The server
// overwrites both on every request, so a client cannot choose them.
export const CLIENT_IP_HEADER = "x-wheelhouse-client-ip";
export const REQUEST_TARGET_HEADER = "x-wheelhouse-target";
