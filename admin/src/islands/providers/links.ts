// Where the providers pages live (static build, format "directory": /providers/view/index.html).
export const listHref = '/';
export const addHref = '/providers/add';
export const detailsHref = (id: string): string => `/providers/view?id=${encodeURIComponent(id)}`;
