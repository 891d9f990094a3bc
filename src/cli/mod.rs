//! clap definitions: argv into typed requests.
