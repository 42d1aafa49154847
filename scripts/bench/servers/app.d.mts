// Types for app.mjs, which stays plain JavaScript so Node 20 can import it.
declare const app: { fetch(request: Request): Response };
export default app;
