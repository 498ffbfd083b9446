# The fuzz targets and how to build one, shared by the libFuzzer build (CMakeLists.txt here,
# OLMD_BUILD_FUZZERS) and the corpus replay of the test suite (replay.cmake, OLMD_BUILD_TESTS).

set(OLMD_FUZZ_DIR "${CMAKE_SOURCE_DIR}/tests/fuzz")
set(OLMD_FUZZ_TARGETS
  fuzz_config fuzz_schedule fuzz_money fuzz_stripe_answer fuzz_maxmind_answer fuzz_kickfire_answer)
# The geoip targets bring their own http::perform (geoip_seam.hpp).
set(OLMD_FUZZ_EXTRA_fuzz_maxmind_answer "${OLMD_FUZZ_DIR}/geoip_seam.cpp")
set(OLMD_FUZZ_EXTRA_fuzz_kickfire_answer "${OLMD_FUZZ_DIR}/geoip_seam.cpp")

# olmd_add_fuzz_executable(NAME TARGET [extra sources...]): TARGET's harness linked into NAME.
function(olmd_add_fuzz_executable name target)
  add_executable(${name} "${OLMD_FUZZ_DIR}/${target}.cpp" ${OLMD_FUZZ_EXTRA_${target}} ${ARGN})
  target_include_directories(${name} PRIVATE "${OLMD_FUZZ_DIR}" "${CMAKE_SOURCE_DIR}/src")
  target_link_libraries(${name} PRIVATE olmd_all nlohmann_json::nlohmann_json)
endfunction()
