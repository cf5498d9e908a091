/**
 * The total behind a page of a list: a short first page is the whole list and needs no count query,
 * which on the busiest page (the first) saves a scan of the table.
 */
export async function totalOf(page: { offset: number; limit: number }, rowsOnPage: number, count: () => Promise<number>): Promise<number> {
  return page.offset === 0 && rowsOnPage < page.limit ? rowsOnPage : count();
}
