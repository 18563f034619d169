/** How images are named on the pages: a short id, or the first tag. */
export const shortId = (id: string) => id.replace(/^sha256:/, "").slice(0, 12);

/** The name an image is shown by: its first tag, else its short id. */
export const imageLabel = (i: { id: string; tags: string[] }) => i.tags[0] ?? shortId(i.id);
