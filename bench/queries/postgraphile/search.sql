-- PostGraphile v4 filters connections by column equality only
-- (`condition:`); a name-prefix search needs a function. This is how a
-- PostGraphile deployment would add rdrr's search: the same predicate rdrr
-- sends (name_key holds " "-separated folded name parts; the caller passes
-- the folded prefix), exposed as Query.searchReturnees. It lives in its own
-- schema so that it never touches rdrr's tables; suite.sh creates it in the
-- suite's copy of the database only.
CREATE SCHEMA IF NOT EXISTS pgl_bench;
CREATE OR REPLACE FUNCTION pgl_bench.search_returnees(phase text, custody text, country text, key text)
RETURNS SETOF public.returnees AS $$
  SELECT * FROM public.returnees r
  WHERE r.phase = search_returnees.phase
    AND r.custody_status = search_returnees.custody
    AND r.citizenship = search_returnees.country
    AND r.name_key LIKE '% ' || search_returnees.key || '%'
  ORDER BY r.id -- rdrr's default order (v4 offers no orderBy on functions)
$$ LANGUAGE sql STABLE;
