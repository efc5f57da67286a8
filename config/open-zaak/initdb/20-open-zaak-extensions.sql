-- Extensions Open Zaak needs in its database, as Open Zaak's own
-- docker/postgres.entrypoint-initdb.d/0002-open-zaak-extensions.sh creates them. The postgis image
-- runs this once, on a fresh volume, against POSTGRES_DB (openzaak). Its own init script already
-- creates postgis; IF NOT EXISTS keeps this harmless.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
