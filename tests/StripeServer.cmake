# olmd_stripe_server: the Stripe-subset test server as its own process, for
# scripts/crashtest and scripts/bench. Include it from tests/CMakeLists.txt
# (include(${CMAKE_CURRENT_SOURCE_DIR}/StripeServer.cmake)); the scripts also
# load it with -DCMAKE_PROJECT_olmd_INCLUDE=<this file> when it is not included.
if(TARGET olmd_stripe_server)
  return()
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
  "${CMAKE_CURRENT_LIST_DIR}/support/listen_backlog.cpp")
target_include_directories(olmd_stripe_server PRIVATE "${CMAKE_CURRENT_LIST_DIR}")
target_compile_features(olmd_stripe_server PRIVATE cxx_std_20)
target_compile_options(olmd_stripe_server PRIVATE -Wall -Wextra -Werror)
target_link_libraries(olmd_stripe_server PRIVATE PkgConfig::HTTPLIB nlohmann_json::nlohmann_json Threads::Threads)
