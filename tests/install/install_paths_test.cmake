# CTest install_paths (cmake -P): `cmake --install BUILD_DIR --prefix P` into a
# DESTDIR puts the config where GNUInstallDirs says for P -- /etc/olmd for
# /usr (never /usr/etc/olmd), /usr/local/etc/olmd for /usr/local,
# /etc/opt/olmd for /opt/olmd -- with the systemd unit naming that config and
# P/bin/olmd; a second install keeps an edited olmd.toml; and a binary
# installed under a prefix it was not configured for finds that config by
# default (src/cli/install_paths.cpp).
#
#   cmake -DBUILD_DIR=<build tree> -DWORK_DIR=<scratch dir> -P install_paths_test.cmake

if(NOT BUILD_DIR OR NOT WORK_DIR)
  message(FATAL_ERROR "usage: cmake -DBUILD_DIR=... -DWORK_DIR=... -P install_paths_test.cmake")
endif()

function(fail what)
  message(FATAL_ERROR "install_paths: ${what}")
endfunction()

function(install_into destdir prefix)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env "DESTDIR=${destdir}" "${CMAKE_COMMAND}" --install "${BUILD_DIR}"
                          --prefix "${prefix}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    fail("cmake --install --prefix ${prefix} failed (${rc}): ${out}${err}")
  endif()
  set(install_output "${out}" PARENT_SCOPE)
endfunction()

function(expect_file path)
  if(NOT EXISTS "${path}")
    file(GLOB_RECURSE all RELATIVE "${WORK_DIR}" "${WORK_DIR}/*")
    fail("${path} was not installed; installed: ${all}")
  endif()
endfunction()

function(expect_no path)
  if(EXISTS "${path}")
    fail("${path} should not exist")
  endif()
endfunction()

function(expect_contains path text)
  file(READ "${path}" content)
  string(FIND "${content}" "${text}" at)
  if(at EQUAL -1)
    fail("${path} does not contain \"${text}\"")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")

# --prefix /usr: /usr/bin, /usr/share, /usr/lib/systemd, but /etc/olmd.
set(d "${WORK_DIR}/usr-prefix")
install_into("${d}" /usr)
expect_file("${d}/usr/bin/olmd")
expect_file("${d}/etc/olmd/olmd.toml")
expect_no("${d}/usr/etc")
expect_file("${d}/usr/share/olmd/sql/0001_init.sql")
expect_file("${d}/usr/share/olmd/sql/us-zip-centroids.csv")
expect_file("${d}/usr/lib/sysusers.d/olmd.conf")
expect_file("${d}/usr/lib/systemd/system/olmd.service")
expect_contains("${d}/usr/lib/systemd/system/olmd.service" "\nExecStart=/usr/bin/olmd --config /etc/olmd/olmd.toml run\n")

# Again over it, with the config edited by the operator: kept, the shipped one beside it.
file(WRITE "${d}/etc/olmd/olmd.toml" "# edited by the operator\n")
install_into("${d}" /usr)
expect_contains("${d}/etc/olmd/olmd.toml" "# edited by the operator")
expect_file("${d}/etc/olmd/olmd.toml.default")

# --prefix /usr/local: everything under /usr/local, the config in /usr/local/etc/olmd.
set(d "${WORK_DIR}/usr-local-prefix")
install_into("${d}" /usr/local)
expect_file("${d}/usr/local/bin/olmd")
expect_file("${d}/usr/local/etc/olmd/olmd.toml")
expect_no("${d}/etc")
expect_file("${d}/usr/local/share/olmd/sql/0001_init.sql")
expect_contains("${d}/usr/local/lib/systemd/system/olmd.service"
                "\nExecStart=/usr/local/bin/olmd --config /usr/local/etc/olmd/olmd.toml run\n")

# --prefix /opt/olmd: the config in /etc/opt/olmd (GNUInstallDirs).
set(d "${WORK_DIR}/opt-prefix")
install_into("${d}" /opt/olmd)
expect_file("${d}/opt/olmd/bin/olmd")
expect_file("${d}/etc/opt/olmd/olmd/olmd.toml")

# The binary installed under DESTDIR/usr/local (a prefix it was not configured for) names the
# config installed beside it as its default.
set(d "${WORK_DIR}/usr-local-prefix")
execute_process(COMMAND "${d}/usr/local/bin/olmd" --help RESULT_VARIABLE rc OUTPUT_VARIABLE help ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  fail("the installed olmd --help failed (${rc}): ${err}")
endif()
string(FIND "${help}" "else ${d}/usr/local/etc/olmd/olmd.toml)" at)
if(at EQUAL -1)
  fail("the installed olmd's default config is not ${d}/usr/local/etc/olmd/olmd.toml: ${help}")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
message(STATUS "install_paths: ok")
