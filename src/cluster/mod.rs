//! The API server of one command: objects in one transaction, admission, the work queue.
