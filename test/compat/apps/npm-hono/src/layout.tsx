import type { Child } from "hono/jsx";

export function Layout(props: { title: string; children?: Child }) {
  return (
    <html>
      <head><title>{props.title}</title></head>
      <body>{props.children}</body>
    </html>
  );
}
