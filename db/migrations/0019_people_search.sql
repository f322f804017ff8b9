-- Patient search for Romanian clinics (issue 17): a clinic finds a patient by name, phone or
-- email whatever the diacritics ("stefanescu" finds "Ștefănescu", comma-below and cedilla
-- forms alike), with a typo, and with the phone typed any way (spaces, +40, 0040, leading 0).
-- Only the contact fields an organization always sees are in the search text, never the
-- shared-only part of the profile: a search cannot reveal what the sharing gate hides.
--
-- The folding functions live here, not in db/functions/people/: the stored column and its
-- index are built from them, so changing one is a new migration that recomputes the column.

-- Both come with the foundation already; named again because this is where they are used.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- unaccent() is STABLE (it reads a dictionary chosen by search_path); naming the dictionary
-- makes the answer depend on the argument alone, so the wrapper may be IMMUTABLE. Folding
-- accents before lower() keeps the result ASCII for Romanian text whatever the collation.
CREATE FUNCTION people.search_fold(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
    SELECT pg_catalog.lower(public.unaccent('public.unaccent'::regdictionary, p_text));
$$;
COMMENT ON FUNCTION people.search_fold(text) IS 'Text as search compares it: diacritics removed (ș, ş, ț, ţ, ă, â, î), lower case.';

-- A phone number as its digits after the trunk and Romanian country prefixes, so that
-- "+40 722 000 001", "0040722000001", "0722-000-001" and "722000001" are one string and a
-- fragment of any of them is a substring of it. Other countries keep their country code.
CREATE FUNCTION people.search_phone(p_phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
    SELECT pg_catalog.regexp_replace(
        pg_catalog.regexp_replace(
            pg_catalog.regexp_replace(
                pg_catalog.regexp_replace(
                    pg_catalog.regexp_replace(p_phone, '[^0-9+]', '', 'g'),
                    '^(\+|00)40', ''
                ),
                '^(\+|00(?=[1-9]))|^40(?=[0-9]{9}$)', ''
            ),
            '^0', ''
        ),
        '[^0-9]', '', 'g'
    );
$$;
COMMENT ON FUNCTION people.search_phone(text) IS 'A phone number as search compares it: digits only, without +40/0040/40 or the leading 0.';

CREATE FUNCTION people.search_text(p_first_name text, p_last_name text, p_phone text, p_email text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT
        people.search_fold(p_first_name) || ' ' || people.search_fold(p_last_name)
        || coalesce(' ' || people.search_fold(p_email), '')
        || coalesce(' ' || nullif(people.search_phone(p_phone), ''), '');
$$;
COMMENT ON FUNCTION people.search_text(text, text, text, text) IS 'The searchable text of a profile: its contact fields (names, email, phone) folded.';

-- Stored rather than an expression index: the index recheck and the relevance score read it
-- per candidate row instead of folding four fields again.
ALTER TABLE people.patient_profiles
ADD COLUMN search_text text GENERATED ALWAYS AS (
    people.search_text(first_name, last_name, phone, email::text)
) STORED;
CREATE INDEX patient_profiles_search_idx ON people.patient_profiles USING gin (search_text public.gin_trgm_ops);
