// The header through which server/main.ts hands the socket's client address to the app. The server
// overwrites it on every request, so a client cannot choose its own address.
export const CLIENT_IP_HEADER = "x-wheelhouse-client-ip";
