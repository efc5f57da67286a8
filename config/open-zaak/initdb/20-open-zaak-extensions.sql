-- Extensions Open Zaak needs in its database, as Open Zaak's own
-- docker/postgres.entrypoint-initdb.d/0002-open-zaak-extensions.sh creates them. The postgis image
-- runs this once, on a fresh volume, against POSTGRES_DB (openzaak). This folder is mounted over
-- the image's /docker-entrypoint-initdb.d (as Open Zaak's docker-compose.yml does), which hides
-- the image's own 10_postgis.sh: so postgis is created here too.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
