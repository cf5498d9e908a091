import { sql, type Kysely } from 'kysely';

/**
 * Full-text search of articles in both languages, kept inside the database: a stored generated
 * column on article_translation, so that whatever writes a translation (editor, demo loader,
 * imports, psql) keeps the index right without calling application code.
 *
 * PostgreSQL's parser makes one token of a whole run of Chinese characters, and a trigram index
 * cannot serve the many two-character words (妇联), so Chinese is indexed as overlapping character
 * bigrams (京津妇联 → 京津 津妇 妇联) with their positions; a query's run becomes a phrase of its
 * bigrams (`'京津' <-> '津妇'`), which matches exactly where the run occurs. The last character of
 * every run is indexed alone as well, so that a one-character query (`'妇':*`, a prefix match)
 * finds every occurrence. Latin-script text goes through the 'english' configuration (stemming).
 * Weights: A title, B summary, C body.
 *
 * The functions use only built-in ones (no extension) and SQL-standard bodies, which PostgreSQL
 * binds at creation time: no search_path is involved when the column is computed or restored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Text of sanitized HTML: inline tags vanish (北京市妇联<strong>党组</strong> stays one run), other tags
  // become spaces; the entities the sanitizer writes are decoded (&amp; last), any other one is a space.
  await sql`
    create function halfsky_plain(html text) returns text
      language sql immutable strict parallel safe
      return replace(
        regexp_replace(
          replace(replace(replace(replace(replace(replace(
            regexp_replace(
              regexp_replace(html,
                '</?(a|abbr|b|bdi|bdo|cite|code|data|dfn|em|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var)(\\s[^>]*)?>',
                '', 'gi'),
              '<[^>]*>', ' ', 'g'),
            '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&apos;', ''''),
          '&(?!amp;)(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);', ' ', 'g'),
        '&amp;', '&')`.execute(db);

  // Bigrams of every run of CJK characters, with positions. Everything else becomes a space; each
  // character is doubled and the first dropped ("AB CD" → "ABBCCDD"… → "AB BC C  D DE E"), so the
  // parser, which splits on spaces, yields each bigram and, at the edges of a run, single characters.
  // Positions count those words, so consecutive bigrams of a run have consecutive positions.
  await sql`
    create function halfsky_zh_bigrams(content text) returns tsvector
      language sql immutable strict parallel safe
      return to_tsvector('simple'::regconfig,
        regexp_replace(
          substr(regexp_replace(regexp_replace(content, '[^\\u3400-\\u9fff]+', ' ', 'g'), '(.)', '\\1\\1', 'g'), 2),
          '(..)', '\\1 ', 'g'))`.execute(db);

  // One field: Latin-script words stemmed as English (Chinese runs left out: one useless lexeme each) and Chinese bigrams.
  await sql`
    create function halfsky_search_text(content text) returns tsvector
      language sql immutable strict parallel safe
      return to_tsvector('english'::regconfig, regexp_replace(content, '[\\u3400-\\u9fff]+', ' ', 'g'))
        || halfsky_zh_bigrams(content)`.execute(db);

  await sql`
    create function halfsky_search_document(title text, summary text, body_html text) returns tsvector
      language sql immutable strict parallel safe
      return setweight(halfsky_search_text(title), 'A')
        || setweight(halfsky_search_text(summary), 'B')
        || setweight(halfsky_search_text(halfsky_plain(body_html)), 'C')`.execute(db);

  await sql`
    alter table article_translation
      add column search_vector tsvector not null
      generated always as (halfsky_search_document(title, summary, body_html)) stored`.execute(db);
  await sql`create index article_translation_search_idx on article_translation using gin (search_vector)`.execute(db);
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index article_translation_search_idx`.execute(db);
  await sql`alter table article_translation drop column search_vector`.execute(db);
  await sql`drop function halfsky_search_document(text, text, text)`.execute(db);
  await sql`drop function halfsky_search_text(text)`.execute(db);
  await sql`drop function halfsky_zh_bigrams(text)`.execute(db);
  await sql`drop function halfsky_plain(text)`.execute(db);
}
