//! API validation with Kubernetes' field paths and messages.
