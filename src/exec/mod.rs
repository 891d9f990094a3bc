//! The simulated container: a small POSIX shell, its builtins and the pod's filesystem view.
