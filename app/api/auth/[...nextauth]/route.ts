// Auth.js's own endpoints (session, CSRF, sign-out). Wheelhouse's forms sign in through server actions.
export { GET, POST } from "@/lib/accounts/auth-handlers";
