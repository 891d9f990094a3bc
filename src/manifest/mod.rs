//! Reading manifests: YAML and JSON streams from files, folders and stdin.
