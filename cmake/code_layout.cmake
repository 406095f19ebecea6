# Rewrites BINARY in place with llvm-bolt (BOLT), the functions named in
# FUNCTIONS (one symbol per line) first, in that order
# (cli/CMakeLists.txt says why). Quiet unless it fails, or unless more than
# a tenth of FUNCTIONS is no longer in the binary: then the list is stale
# and scripts/profile-layout writes it anew.
execute_process(
  COMMAND ${BOLT} ${BINARY} -o ${BINARY}.layout -reorder-functions=user -function-order=${FUNCTIONS}
  RESULT_VARIABLE status
  OUTPUT_VARIABLE log
  ERROR_VARIABLE log)
if(NOT status EQUAL 0)
  file(REMOVE ${BINARY} ${BINARY}.layout)
  message(FATAL_ERROR "llvm-bolt could not lay out ${BINARY}:\n${log}")
endif()
file(STRINGS ${FUNCTIONS} listed)
list(LENGTH listed listed_count)
if(log MATCHES "can't find functions for ([0-9]+) entries")
  math(EXPR stale_percent "${CMAKE_MATCH_1} * 100 / ${listed_count}")
  if(stale_percent GREATER 10)
    message(WARNING "${CMAKE_MATCH_1} of the ${listed_count} functions in ${FUNCTIONS} are no longer "
                    "in docket: run scripts/profile-layout")
  endif()
endif()
file(RENAME ${BINARY}.layout ${BINARY})
