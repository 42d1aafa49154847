export const greeting = "hello through the import map";
