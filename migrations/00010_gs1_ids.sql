-- GS1 keys, so EPCIS documents can name facilities and products by the
-- numbers the trade already uses: a facility's GLN (Global Location
-- Number), a product's GTIN (Global Trade Item Number). Both are optional
-- (NULL when a producer has none) and each names one thing only, so each is
-- unique in its table. The application checks them first (core/gs1.go);
-- the constraints repeat the rule so no other writer can store a key a
-- scanner would reject.

-- +goose Up
-- +goose StatementBegin
-- gs1_key_ok says whether key is digits whose GS1 mod-10 check holds: with
-- the check digit included, the digits weighted 1, 3, 1... from the
-- rightmost sum to a multiple of ten. All zeros passes that sum but is never
-- allocated, so it is refused as well.
CREATE FUNCTION gs1_key_ok(key text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE
        WHEN key !~ '^[0-9]+$' OR key ~ '^0+$' THEN false
        ELSE (SELECT sum(substr(key, length(key) - i, 1)::int * CASE WHEN i % 2 = 1 THEN 3 ELSE 1 END)
              FROM generate_series(0, length(key) - 1) AS i) % 10 = 0
    END
$$;
-- +goose StatementEnd

ALTER TABLE facilities
    ADD COLUMN gln text CONSTRAINT facilities_gln_check CHECK (gln ~ '^[0-9]{13}$' AND gs1_key_ok(gln));
CREATE UNIQUE INDEX facilities_gln_key ON facilities (gln) WHERE gln IS NOT NULL;

ALTER TABLE products
    ADD COLUMN gtin text CONSTRAINT products_gtin_check
        CHECK (gtin ~ '^([0-9]{8}|[0-9]{12,14})$' AND gs1_key_ok(gtin));
-- GS1 compares GTINs as 14 digits: the UPC-A 036000291452 and the GTIN-13
-- 0036000291452 are one product, so uniqueness is on the padded form.
CREATE UNIQUE INDEX products_gtin_key ON products (lpad(gtin, 14, '0')) WHERE gtin IS NOT NULL;

-- +goose Down
DROP INDEX products_gtin_key;
ALTER TABLE products DROP COLUMN gtin;
DROP INDEX facilities_gln_key;
ALTER TABLE facilities DROP COLUMN gln;
DROP FUNCTION gs1_key_ok(text);
