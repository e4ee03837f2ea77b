# cppbatch_library(NAME <layer> SOURCES ... DEPS ... [EXTERNAL ...])
#
# One static library per architectural layer. DEPS lists the cppbatch layers
# this one may use (linked PUBLIC); a layer that reaches upward fails to link.
# EXTERNAL lists third-party targets used only inside the implementation.
function(cppbatch_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wnull-dereference -Wformat=2 -Werror)
endfunction()

function(cppbatch_library)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS;EXTERNAL;PUBLIC_EXTERNAL" ${ARGN})
  set(target cppbatch_${ARG_NAME})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(cppbatch::${ARG_NAME} ALIAS ${target})
  target_include_directories(${target}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  foreach(dep IN LISTS ARG_DEPS)
    target_link_libraries(${target} PUBLIC cppbatch_${dep})
  endforeach()
  target_link_libraries(${target} PRIVATE ${ARG_EXTERNAL} PUBLIC ${ARG_PUBLIC_EXTERNAL})
  cppbatch_warnings(${target})
endfunction()
