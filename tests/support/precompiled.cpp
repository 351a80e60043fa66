// The one source of the target that carries the tests' precompiled header
// (tests/CMakeLists.txt): CMake makes a target's precompiled header only for
// a source that uses it. Nothing else is in it, and nothing links it.
