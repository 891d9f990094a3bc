//! Resource quantities (`20Gi`, `500m`).
