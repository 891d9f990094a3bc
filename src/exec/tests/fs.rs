use super::{all, Pod};
