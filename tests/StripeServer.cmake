# olmd_stripe_server: the Stripe test server as its own process, for scripts/crashtest and
# scripts/bench, and the subset of Stripe's published OpenAPI description it checks every
# request against. Include it from tests/CMakeLists.txt
# (include(${CMAKE_CURRENT_SOURCE_DIR}/StripeServer.cmake)); the scripts also load it with
# -DCMAKE_PROJECT_olmd_INCLUDE=<this file> when it is not included.
#
# The description (../shared/data/stripe/spec3.json, 2.7 MB) costs 0.3 s to parse in a Debug
# build and 0.9 s under AddressSanitizer; every test is its own process, so the build extracts
# the operations the server implements from the real file once (olmd_stripe_server
# --extract-openapi), and the server and olmd_tests read that subset (OLMD_STRIPE_OPENAPI).
set(OLMD_STRIPE_SPEC "${CMAKE_SOURCE_DIR}/../shared/data/stripe/spec3.json" CACHE FILEPATH
    "Stripe's published OpenAPI description (spec3.json) the Stripe test server checks requests against")
set(OLMD_STRIPE_OPENAPI_SUBSET "${CMAKE_BINARY_DIR}/stripe_openapi_subset.json")

if(NOT TARGET olmd_stripe_server)
  if(NOT EXISTS "${OLMD_STRIPE_SPEC}")
    message(FATAL_ERROR "Stripe's OpenAPI description ${OLMD_STRIPE_SPEC} is missing "
                        "(the shared/ folder beside the checkout, or -DOLMD_STRIPE_SPEC=PATH)")
  endif()
  find_package(PkgConfig REQUIRED)
  find_package(Threads REQUIRED)
  find_package(nlohmann_json REQUIRED)
  if(NOT TARGET PkgConfig::HTTPLIB)
    pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET GLOBAL cpp-httplib)
  endif()
  add_executable(olmd_stripe_server
    "${CMAKE_CURRENT_LIST_DIR}/stripe_server/main.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/support/stripe_test_server.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/support/stripe_test_server_intents.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/support/stripe_test_server_objects.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/support/openapi_description.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/support/openapi_form_validator.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/support/listen_backlog.cpp")
  target_include_directories(olmd_stripe_server PRIVATE "${CMAKE_CURRENT_LIST_DIR}" "${CMAKE_SOURCE_DIR}/include")
  target_compile_features(olmd_stripe_server PRIVATE cxx_std_20)
  target_compile_options(olmd_stripe_server PRIVATE -Wall -Wextra -Werror)
  target_compile_definitions(olmd_stripe_server PRIVATE OLMD_STRIPE_OPENAPI="${OLMD_STRIPE_OPENAPI_SUBSET}")
  target_link_libraries(olmd_stripe_server PRIVATE PkgConfig::HTTPLIB nlohmann_json::nlohmann_json Threads::Threads)

  add_custom_command(
    OUTPUT "${OLMD_STRIPE_OPENAPI_SUBSET}"
    COMMAND olmd_stripe_server --extract-openapi "${OLMD_STRIPE_SPEC}" "${OLMD_STRIPE_OPENAPI_SUBSET}"
    DEPENDS olmd_stripe_server "${OLMD_STRIPE_SPEC}"
    COMMENT "Extracting the PaymentIntents operations from Stripe's OpenAPI description"
    VERBATIM)
  add_custom_target(olmd_stripe_openapi ALL DEPENDS "${OLMD_STRIPE_OPENAPI_SUBSET}")
endif()

# The test binary checks against the same subset; the full file is there for the test that
# compares the two (OLMD_STRIPE_SPEC).
if(TARGET olmd_tests AND NOT OLMD_STRIPE_TESTS_WIRED)
  set(OLMD_STRIPE_TESTS_WIRED ON)
  target_compile_definitions(olmd_tests PRIVATE OLMD_STRIPE_OPENAPI="${OLMD_STRIPE_OPENAPI_SUBSET}"
                                                OLMD_STRIPE_SPEC="${OLMD_STRIPE_SPEC}")
  add_dependencies(olmd_tests olmd_stripe_openapi)
endif()
