// Compiled with the precompiled header and nothing else: CMake makes a
// target's precompiled header only for a source that uses it, and the test
// support's other source, main.cpp, cannot (tests/CMakeLists.txt).
