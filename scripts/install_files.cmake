# Run by `cmake --install` (install(SCRIPT) in CMakeLists.txt): installs the
# config and the systemd unit at the paths GNUInstallDirs gives the prefix in
# force *when installing*, so that `cmake --install build --prefix /usr` puts
# the config in /etc/olmd (not /usr/etc/olmd) and --prefix /usr/local in
# /usr/local/etc/olmd. An existing olmd.toml is never overwritten: the shipped
# one goes next to it as olmd.toml.default. The unit's ExecStart names the
# installed binary and config.
#
# Set by CMakeLists.txt: OLMD_SOURCE_DIR, OLMD_BINARY_DIR, OLMD_SYSCONFDIR and
# OLMD_BINDIR (CMAKE_INSTALL_SYSCONFDIR / _BINDIR as configured: relative, or
# absolute when the builder chose so).

# GNUInstallDirs' rule for CMAKE_INSTALL_FULL_SYSCONFDIR, applied to the install-time prefix.
set(prefix "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/+$" "" prefix "${prefix}")
if(IS_ABSOLUTE "${OLMD_SYSCONFDIR}")
  set(etc "${OLMD_SYSCONFDIR}")
elseif(prefix STREQUAL "" OR prefix STREQUAL "/usr")
  set(etc "/${OLMD_SYSCONFDIR}")
elseif(prefix MATCHES "^/opt/")
  set(etc "/${OLMD_SYSCONFDIR}${prefix}")
else()
  set(etc "${prefix}/${OLMD_SYSCONFDIR}")
endif()
if(IS_ABSOLUTE "${OLMD_BINDIR}")
  set(bin "${OLMD_BINDIR}")
else()
  set(bin "${prefix}/${OLMD_BINDIR}")
endif()

set(config_dir "${etc}/olmd")
if(EXISTS "$ENV{DESTDIR}${config_dir}/olmd.toml")
  message(STATUS "Keeping the existing $ENV{DESTDIR}${config_dir}/olmd.toml; the shipped one is olmd.toml.default")
  file(INSTALL DESTINATION "${config_dir}" TYPE FILE RENAME olmd.toml.default FILES "${OLMD_SOURCE_DIR}/etc/olmd.toml")
else()
  file(INSTALL DESTINATION "${config_dir}" TYPE FILE FILES "${OLMD_SOURCE_DIR}/etc/olmd.toml")
endif()

# The unit names /usr/bin/olmd and /etc/olmd/olmd.toml (prefix /usr): rewritten for this prefix.
file(READ "${OLMD_SOURCE_DIR}/systemd/olmd.service" unit)
string(REPLACE "/usr/bin/olmd " "${bin}/olmd " unit "${unit}")
string(REPLACE "/etc/olmd/" "${config_dir}/" unit "${unit}")
set(generated "${OLMD_BINARY_DIR}/install/olmd.service")
file(WRITE "${generated}" "${unit}")
file(INSTALL DESTINATION "${prefix}/lib/systemd/system" TYPE FILE FILES "${generated}")
