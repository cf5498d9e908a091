/** The same PostgreSQL connection string naming another database. */
export function withDatabaseName(connectionString: string, database: string): string {
  return connectionString.replace(/^(postgres(?:ql)?:\/\/[^/?]*\/?)([^?]*)/, (_all, authority: string) =>
    `${authority.endsWith('/') ? authority : `${authority}/`}${database}`,
  );
}
