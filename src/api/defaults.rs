//! Defaulting, as the API server applies it on create.
