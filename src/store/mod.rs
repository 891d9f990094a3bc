//! SQLite: the schema and its version, objects, files.
