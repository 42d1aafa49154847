// The app answers what public/ does not have: lsky serves files from ./public
// (the default static directory when it exists) and falls back to the app.
export default {
  fetch(request: Request): Response {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith("/api/")) return Response.json({ path: pathname, at: new Date().toISOString() });
    return new Response(`No page at ${pathname}\n`, { status: 404, headers: { "content-type": "text/plain" } });
  },
};
