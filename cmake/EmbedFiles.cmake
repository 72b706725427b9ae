# ess_embed_files(<target> <namespace> <function> FILES <f>...)
# Generates a source that compiles the files into the binary, so an executable carries its
# SQL migrations (or other assets) with it. The generated function returns (name, content)
# pairs sorted by file name:
#   std::vector<std::pair<std::string, std::string>> <namespace>::<function>();
function(ess_embed_files target namespace function)
  cmake_parse_arguments(ARG "" "" "FILES" ${ARGN})
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp")
  set(body "#include <string>\n#include <utility>\n#include <vector>\nnamespace ${namespace} {\nstd::vector<std::pair<std::string, std::string>> ${function}() {\n  return {\n")
  list(SORT ARG_FILES)
  foreach(f IN LISTS ARG_FILES)
    get_filename_component(abs "${f}" ABSOLUTE)
    get_filename_component(name "${f}" NAME)
    file(READ "${abs}" content)
    # A raw string literal whose delimiter cannot appear in SQL or HTML we write.
    string(APPEND body "    {\"${name}\", R\"ess_embed(${content})ess_embed\"},\n")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${abs}")
  endforeach()
  string(APPEND body "  };\n}\n}  // namespace ${namespace}\n")
  file(WRITE "${out}.tmp" "${body}")
  file(COPY_FILE "${out}.tmp" "${out}" ONLY_IF_DIFFERENT)
  add_library(${target} STATIC "${out}")
endfunction()
