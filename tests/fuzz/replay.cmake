# The fuzz corpus replayed as ordinary tests (included by tests/CMakeLists.txt): each target's
# harness with replay_main.cpp as olmd_fuzz_replay_<target>, run over tests/fuzz/corpus/<target>.
include("${CMAKE_CURRENT_LIST_DIR}/targets.cmake")
foreach(t IN LISTS OLMD_FUZZ_TARGETS)
  olmd_add_fuzz_executable(olmd_fuzz_replay_${t} ${t} "${OLMD_FUZZ_DIR}/replay_main.cpp")
  add_test(NAME fuzz_corpus_${t} COMMAND olmd_fuzz_replay_${t} "${OLMD_FUZZ_DIR}/corpus/${t}")
  set_tests_properties(fuzz_corpus_${t} PROPERTIES TIMEOUT 300)
endforeach()
