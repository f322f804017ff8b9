"""Where the SQL lives in the repository."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DB_DIR = ROOT / "db"
MIGRATIONS_DIR = DB_DIR / "migrations"
SCHEMA_SNAPSHOT = DB_DIR / "schema.sql"
TEST_HELPERS = DB_DIR / "tests" / "helpers"
